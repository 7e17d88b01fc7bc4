/**
 * SECURITY.md client cases: 35 (markup renders as text), 36 (no password or token in an event
 * detail, console message, URL or attribute), 37 (sign-out clears every token).
 */
import { en } from "../../components/index.ts";
import {
  afterEach, before, beforeEach, configurePool, describe, equal, fill, input, it, mount, ok, PASSWORD, sdkKeys, server,
  submitButton, uniqueName, unmountAll, waitFor, type Pool,
} from "./support.ts";

const MARKUP = `"><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

function allAttributes(root: ParentNode): string[] {
  const values: string[] = [];
  for (const element of root.querySelectorAll("*")) {
    for (const attribute of element.attributes) values.push(`${attribute.name}=${attribute.value}`);
  }
  return values;
}

describe("security (client cases)", () => {
  let pool: Pool;
  before(async () => {
    pool = await server.createPool();
  });
  beforeEach(async () => {
    // The same pool for every test: sign the previous test's user out of this page's store.
    await configurePool(pool).signOut();
  });
  afterEach(unmountAll);

  it("renders markup from Cognito and from attributes as text (SECURITY 35)", async () => {
    const username = `x${uniqueName()}${MARKUP}`;
    await server.call("SignUp", { ClientId: pool.clientId, Username: username, Password: PASSWORD });
    await server.call("AdminConfirmSignUp", { UserPoolId: pool.poolId, Username: username });
    const login = mount("cognito-login", { "signup-href": `javascript:alert(1)${MARKUP}` });
    const signup = mount("cognito-signup", { fields: `email custom:${MARKUP}` });
    await waitFor(() => login.querySelector("form") && signup.querySelector("form"), "the forms");
    const labels = [...signup.querySelectorAll("label")].map((label) => label.textContent ?? "");
    ok(labels.some((label) => label.includes("<img")), "the markup in fields shows as label text");
    ok(labels.some((label) => label.includes("<script>")), "the script tag in fields shows as label text");
    equal(signup.querySelectorAll("img, script").length, 0, "no element made from fields");
    fill(login, { username, password: PASSWORD });
    submitButton(login).click();
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in");
    ok(login.textContent?.includes(en.login.signedInAs(username)), "the username shows as text");
    equal(document.querySelectorAll(".test-mount img, .test-mount script").length, 0);
    equal((window as { __xss?: number }).__xss, undefined);
  });

  it("never renders a javascript: link from signup-href, reset-href or signin-href (SECURITY 35)", async () => {
    const hostile = "javascript:window.__xss=1";
    const login = mount("cognito-login", { "signup-href": hostile, "reset-href": hostile });
    const signup = mount("cognito-signup", { "signin-href": hostile });
    const reset = mount("cognito-reset-password", { "signin-href": hostile });
    await waitFor(() => login.querySelector("form") && signup.querySelector("form") && reset.querySelector("form"), "the forms");
    const links = [login, signup, reset].flatMap((element) => [...element.querySelectorAll("a")]);
    equal(links.filter((link) => link.protocol === "javascript:").length, 0, "no javascript: link");
    // The way to sign-up, reset and sign-in is still offered (as a button firing cognito-navigate).
    equal(login.querySelectorAll(".link").length, 2);
    ok(signup.querySelector(".link") && reset.querySelector(".link"), "the other links still render");
    const safe = mount("cognito-login", { "signup-href": "/sign-up" });
    await waitFor(() => safe.querySelector("a.link"), "a normal link");
    equal(safe.querySelector("a.link")!.getAttribute("href"), "/sign-up", "a same-origin path stays as written");
  });

  it("puts no password or token in an event detail, console message, URL or attribute (SECURITY 36)", async () => {
    const seen: string[] = [];
    const consoleMethods = ["log", "info", "warn", "error", "debug"] as const;
    const originals = consoleMethods.map((name) => console[name]);
    consoleMethods.forEach((name, i) => {
      console[name] = (...args: unknown[]) => {
        seen.push(`console.${name} ${args.map(String).join(" ")}`);
        originals[i]!.apply(console, args);
      };
    });
    const types = ["cognito-signed-in", "cognito-signed-out", "cognito-signed-up", "cognito-confirmed", "cognito-navigate", "cognito-error"];
    const record = (event: Event) => seen.push(`${event.type} ${JSON.stringify((event as Event & { detail?: unknown }).detail)}`);
    for (const type of types) document.addEventListener(type, record);
    try {
      // Sign up + confirm + automatic sign-in, a failed sign-in, a new-password step, sign-out.
      const username = uniqueName("secret");
      const signup = mount("cognito-signup", { "sign-in-after-confirm": "" });
      const login = mount("cognito-login");
      const signOut = mount("cognito-sign-out");
      await waitFor(() => signup.querySelector("form") && login.querySelector("form"), "the forms");
      fill(signup, { username, email: `${username}@example.com`, password: PASSWORD });
      submitButton(signup).click();
      await waitFor(() => signup.querySelector('input[name="code"]'), "confirm step");
      fill(signup, { code: "123456" });
      submitButton(signup).click();
      await waitFor(() => signOut.querySelector("button"), "signed in");
      const tokens = sdkKeys(localStorage, pool.clientId)
        .filter((key) => /(idToken|accessToken|refreshToken)$/.test(key))
        .map((key) => localStorage.getItem(key)!);
      equal(tokens.length, 3);
      const attributesWhileSignedIn = allAttributes(document.body);
      signOut.querySelector("button")!.click();
      await waitFor(() => login.getAttribute("auth-state") === "signed-out" && login.querySelector("form"), "signed out");
      fill(login, { username, password: "Wr0ng-password!" });
      submitButton(login).click();
      await waitFor(() => login.getAttribute("form-state") === "error", "the failed sign-in");
      const temporary = await server.createUser(pool, { temporary: true, password: "Temp-Passw0rd!" });
      fill(login, { username: temporary.username, password: temporary.password });
      submitButton(login).click();
      await waitFor(() => login.querySelector('input[name="new-password"]'), "new-password step");
      fill(login, { "new-password": "N3w-Secret-Passw0rd!" });
      submitButton(login).click();
      await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in with the new password");
      const secrets = [PASSWORD, "Wr0ng-password!", "Temp-Passw0rd!", "N3w-Secret-Passw0rd!", ...tokens];
      const haystack = [...seen, ...attributesWhileSignedIn, ...allAttributes(document.body), location.href].join("\n");
      ok(seen.some((line) => line.startsWith("cognito-signed-in")), "events were captured");
      for (const secret of secrets) ok(!haystack.includes(secret), `a secret leaked: ${secret.slice(0, 12)}…`);
    } finally {
      consoleMethods.forEach((name, i) => (console[name] = originals[i]!));
      for (const type of types) document.removeEventListener(type, record);
    }
  });

  it("clears every SDK key of the client on sign-out, device keys and user data included (SECURITY 37)", async () => {
    const user = await server.createUser(pool);
    const client = configurePool(pool);
    await client.signIn(user.username, user.password);
    const prefix = `CognitoIdentityServiceProvider.${pool.clientId}.${user.username}`;
    localStorage.setItem(`${prefix}.deviceKey`, "device");
    localStorage.setItem(`${prefix}.userData`, "{}");
    localStorage.setItem("unrelated", "kept");
    await client.signOut();
    equal(sdkKeys(localStorage, pool.clientId).length, 0);
    equal(localStorage.getItem("unrelated"), "kept");
    const login = mount("cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    equal(input(login, "username").value, "", "nothing prefilled from a previous session");
  });
});
