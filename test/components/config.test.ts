/**
 * Configuration errors name the setting and replace the form; the error table maps every
 * Cognito exception to a stable code and message.
 */
import { AuthError, ConfigError, configure, en, parseConfig } from "../../components/index.ts";
import { toAuthError } from "../../components/auth/errors.ts";
import { afterEach, describe, equal, it, mount, ok, unmountAll, waitFor } from "./support.ts";

describe("configuration", () => {
  afterEach(unmountAll);

  it("<cognito-config> without pool-id makes every element show an error naming pool-id", async () => {
    const config = mount("cognito-config", { "client-id": "abc123" });
    const login = mount("cognito-login");
    const signup = mount("cognito-signup");
    for (const element of [login, signup]) {
      await waitFor(() => element.getAttribute("auth-state") === "config-error", `<${element.localName}> to show the config error`);
      equal(element.querySelector('[role="alert"]')?.textContent?.trim(), en.config("pool-id", "missing"));
      ok(!element.querySelector("form"), "no broken form");
    }
    config.setAttribute("pool-id", "not a pool id");
    await waitFor(() => login.textContent?.includes(en.config("pool-id", "invalid")), "the invalid pool-id message");
    config.setAttribute("pool-id", "eu-west-1_AbC123");
    config.setAttribute("storage", "cookies");
    await waitFor(() => login.textContent?.includes(en.config("storage", "invalid")), "the invalid storage message");
    config.setAttribute("storage", "memory");
    await waitFor(() => login.querySelector("form"), "the form once the settings are valid");
  });

  it("configure() throws a ConfigError naming the option as written in JS", () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ clientId: "abc" }, "poolId", "missing"],
      [{ poolId: "eu-west-1_AbC123" }, "clientId", "missing"],
      [{ poolId: "eu-west-1_AbC123", clientId: "a b" }, "clientId", "invalid"],
      [{ poolId: "eu-west-1_AbC123", clientId: "abc", endpoint: "javascript:alert(1)" }, "endpoint", "invalid"],
      [{ poolId: "eu-west-1_AbC123", clientId: "abc", authFlow: "CUSTOM_AUTH" }, "authFlow", "invalid"],
      [{ poolId: "eu-west-1_AbC123", clientId: "abc", region: "EU WEST" }, "region", "invalid"],
      // Tokens must not cross a network in the clear: plain http only on loopback.
      [{ poolId: "eu-west-1_AbC123", clientId: "abc", endpoint: "http://cognito.example.com/" }, "endpoint", "invalid"],
      [{ poolId: "eu-west-1_AbC123", clientId: "abc", apiOrigins: ["http://api.example.com"] }, "apiOrigins", "invalid"],
      [{ poolId: "eu-west-1_AbC123", clientId: "abc", apiOrigins: "https://api.example.com/v1" }, "apiOrigins", "invalid"],
      [{ poolId: "eu-west-1_AbC123", clientId: "abc", apiOrigins: ["*"] }, "apiOrigins", "invalid"],
    ];
    for (const [options, setting, problem] of cases) {
      try {
        configure(options as never);
        throw new Error(`accepted ${JSON.stringify(options)}`);
      } catch (error) {
        ok(error instanceof ConfigError, `ConfigError for ${setting}`);
        equal(error.setting, setting);
        equal(error.problem, problem);
      }
    }
  });

  it("derives the region from the pool id and defaults to SRP and local storage", () => {
    const config = parseConfig({ poolId: "eu-west-1_AbC123", clientId: "abc" });
    equal(config.region, "eu-west-1");
    equal(config.authFlow, "USER_SRP_AUTH");
    equal(config.storage, "local");
    equal(config.endpoint, undefined);
  });

  it("lets authFetch send the token to the page's own origin only, unless api-origins lists more", () => {
    equal(parseConfig({ poolId: "eu-west-1_AbC123", clientId: "abc" }).apiOrigins.join(" "), location.origin);
    const listed = parseConfig({ poolId: "eu-west-1_AbC123", clientId: "abc", apiOrigins: "https://api.example.com, http://127.0.0.1:8787" }, "attributes");
    equal(listed.apiOrigins.join(" "), "https://api.example.com http://127.0.0.1:8787");
    equal(parseConfig({ poolId: "eu-west-1_AbC123", clientId: "abc", endpoint: "http://localhost:9229/" }).endpoint, "http://localhost:9229/", "loopback may be http");
  });

  it("<cognito-config api-origins> with a bad origin names api-origins", async () => {
    mount("cognito-config", { "pool-id": "eu-west-1_AbC123", "client-id": "abc123", "api-origins": "ftp://files.example.com" });
    const login = mount("cognito-login");
    await waitFor(() => login.textContent?.includes(en.config("api-origins", "invalid")), "the invalid api-origins message");
  });
});

describe("error table", () => {
  const named = (name: string, message = "raw Cognito text") => Object.assign(new Error(message), { code: name, name });

  it("maps each Cognito exception to a stable code with a message", () => {
    const table: Array<[string, string]> = [
      ["NotAuthorizedException", "not_authorized"],
      ["UserNotFoundException", "user_not_found"],
      ["InvalidPasswordException", "password_policy"],
      ["UsernameExistsException", "username_exists"],
      ["UserNotConfirmedException", "user_not_confirmed"],
      ["CodeMismatchException", "code_mismatch"],
      ["ExpiredCodeException", "code_expired"],
      ["LimitExceededException", "limit_exceeded"],
      ["TooManyRequestsException", "limit_exceeded"],
      ["TooManyFailedAttemptsException", "too_many_failed_attempts"],
      ["InvalidParameterException", "invalid_parameter"],
      ["PasswordResetRequiredException", "password_reset_required"],
      ["NetworkError", "network"],
      ["SomethingNewException", "unknown"],
    ];
    for (const [exception, code] of table) {
      const error = toAuthError(named(exception));
      equal(error.code, code, exception);
      ok(en.errors[error.code].length > 0);
      ok(!error.message.includes("raw Cognito text"), "raw message dropped");
    }
    equal(toAuthError(new TypeError("Failed to fetch")).code, "network");
    ok(en.errors.service_unavailable && en.errors.origin_not_allowed, "messages for the client's own codes");
    equal(toAuthError("weird").code, "unknown");
  });

  it("reads a wrong password and an unknown user the same while signing in (AWS and cognito-local)", () => {
    for (const exception of ["NotAuthorizedException", "UserNotFoundException", "InvalidPasswordException"]) {
      equal(toAuthError(named(exception), "sign-in").code, "invalid_credentials", exception);
    }
    ok(toAuthError(named("UserNotFoundException"), "sign-in") instanceof AuthError);
  });
});
