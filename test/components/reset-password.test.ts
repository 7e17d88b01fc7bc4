/**
 * <cognito-reset-password> against a real cognito-local (ForgotPassword, ConfirmForgotPassword).
 */
import { en } from "../../components/index.ts";
import {
  afterEach, beforeEach, countRequests, describe, equal, errorText, fill, freshPool, input, it, mount, ok, server, settled,
  submitButton, unmountAll, waitFor, type Pool,
} from "./support.ts";

async function resetForm(attributes: Record<string, string> = {}): Promise<HTMLElementTagNameMap["cognito-reset-password"]> {
  const reset = mount("cognito-reset-password", attributes);
  await waitFor(() => reset.querySelector("form"), "the reset form");
  return reset;
}

async function canSignIn(pool: Pool, username: string, password: string): Promise<boolean> {
  try {
    const result = await server.call("InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH", ClientId: pool.clientId, AuthParameters: { USERNAME: username, PASSWORD: password } });
    return Boolean(result.AuthenticationResult);
  } catch {
    return false;
  }
}

describe("<cognito-reset-password>", () => {
  let pool: Pool;
  beforeEach(async () => {
    pool = await freshPool();
  });
  afterEach(unmountAll);

  it("requests a code, sets a new password: the old one fails, the new one works", async () => {
    const user = await server.createUser(pool);
    const reset = await resetForm();
    const events: unknown[] = [];
    reset.addEventListener("cognito-password-reset", (event) => events.push(event.detail));
    fill(reset, { username: user.username });
    submitButton(reset).click();
    await waitFor(() => reset.querySelector('input[name="code"]'), "the code step");
    equal(input(reset, "new-password").getAttribute("autocomplete"), "new-password");
    fill(reset, { code: "123456", "new-password": "Brand-N3w-pass", "repeat-password": "Brand-N3w-pass" });
    submitButton(reset).click();
    await waitFor(() => reset.textContent?.includes(en.reset.done), "the success message");
    equal(JSON.stringify(events), JSON.stringify([{ username: user.username }]));
    equal(await canSignIn(pool, user.username, user.password), false);
    equal(await canSignIn(pool, user.username, "Brand-N3w-pass"), true);
    ok(!reset.querySelector('input[type="password"]'), "no password left in the DOM");
  });

  it("catches mismatched passwords before any request", async () => {
    const user = await server.createUser(pool);
    const reset = await resetForm({ prefill: user.username });
    equal(input(reset, "username").value, user.username, "prefilled");
    submitButton(reset).click();
    await waitFor(() => reset.querySelector('input[name="code"]'), "the code step");
    const requests = countRequests();
    try {
      fill(reset, { code: "123456", "new-password": "Brand-N3w-pass", "repeat-password": "Brand-N3w-pasS" });
      submitButton(reset).click();
      equal(await settled(reset), "error");
      equal(errorText(reset), en.validation.passwordsDiffer);
      equal(input(reset, "repeat-password").getAttribute("aria-invalid"), "true");
      equal(requests.targets.length, 0);
    } finally {
      requests.restore();
    }
  });

  it("shows the code-mismatch message for a wrong code and keeps the form", async () => {
    const user = await server.createUser(pool);
    const reset = await resetForm({ prefill: user.username });
    submitButton(reset).click();
    await waitFor(() => reset.querySelector('input[name="code"]'), "the code step");
    fill(reset, { code: "999999", "new-password": "Brand-N3w-pass", "repeat-password": "Brand-N3w-pass" });
    submitButton(reset).click();
    equal(await settled(reset), "error");
    equal(errorText(reset), en.errors.code_mismatch);
    equal(input(reset, "code").value, "999999");
    equal(await canSignIn(pool, user.username, user.password), true);
  });

  it("with username-attribute=email asks for an email: label, input type and required message, before any request", async () => {
    const reset = await resetForm({ "username-attribute": "email" });
    const field = input(reset, "username");
    equal(field.type, "email");
    equal(reset.querySelector(`label[for="${field.id}"]`)?.textContent?.trim(), en.fields.email);
    const requests = countRequests();
    try {
      submitButton(reset).click();
      equal(await settled(reset), "error");
    } finally {
      requests.restore();
    }
    equal(errorText(reset), en.validation.required(en.fields.email));
    equal(field.getAttribute("aria-invalid"), "true");
    equal(requests.targets.length, 0);
  });

  it("offers a way back to sign-in", async () => {
    const reset = await resetForm({ prefill: "bob" });
    const seen: unknown[] = [];
    reset.addEventListener("cognito-navigate", (event) => seen.push(event.detail.to));
    reset.querySelector<HTMLButtonElement>("button.link")!.click();
    equal(seen.join(), "sign-in");
  });
});
