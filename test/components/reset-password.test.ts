/**
 * <cognito-reset-password> against a real cognito-local (ForgotPassword, ConfirmForgotPassword).
 */
import { en } from "../../components/index.ts";
import {
  afterEach, beforeEach, countRequests, describe, equal, errorText, fieldError, fill, freshPool, input, it, mount, ok, server, settled,
  submitButton, uniqueName, unmountAll, waitFor, type Pool,
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
    fill(reset, { code: "123456", "new-password": "Brand-N3w-pass" });
    submitButton(reset).click();
    await waitFor(() => reset.textContent?.includes(en.reset.done), "the success message");
    equal(JSON.stringify(events), JSON.stringify([{ username: user.username }]));
    equal(await canSignIn(pool, user.username, user.password), false);
    equal(await canSignIn(pool, user.username, "Brand-N3w-pass"), true);
    ok(!reset.querySelector('input[type="password"]'), "no password left in the DOM");
  });

  it("checks the code and the new password at once before any request, each message under its field", async () => {
    const user = await server.createUser(pool);
    const reset = await resetForm({ prefill: user.username });
    equal(input(reset, "username").value, user.username, "prefilled");
    submitButton(reset).click();
    await waitFor(() => reset.querySelector('input[name="code"]'), "the code step");
    ok(!reset.querySelector('input[name="repeat-password"]'), "asked once: the show-password button replaces a repeat field");
    const requests = countRequests();
    try {
      fill(reset, { code: "", "new-password": "weak" });
      // As a click does: focus on the button, then submit.
      submitButton(reset).focus();
      submitButton(reset).click();
      equal(await settled(reset), "error");
      equal(fieldError(reset, "code"), en.validation.required(en.fields.code));
      equal(fieldError(reset, "new-password"), en.validation.passwordRules);
      equal(errorText(reset), "", "the form's alert is for server answers only");
      equal(document.activeElement, input(reset, "code"), "focus on the first invalid field");
      equal(requests.targets.length, 0);
    } finally {
      requests.restore();
    }
    fill(reset, { code: "1" });
    await waitFor(() => fieldError(reset, "code") === "", "the code's message gone once it changed");
    ok(input(reset, "code").getAttribute("aria-invalid") !== "true", "the code no longer marked invalid");
    equal(fieldError(reset, "new-password"), en.validation.passwordRules, "the other message stays");
  });

  it("reads the same for an account that does not exist (no account enumeration)", async () => {
    const user = await server.createUser(pool);
    const texts: string[] = [];
    for (const username of [user.username, uniqueName("nobody")]) {
      const reset = await resetForm({ prefill: username });
      submitButton(reset).click();
      await waitFor(() => reset.querySelector('input[name="code"]'), `the code step for ${username}`);
      texts.push(reset.querySelector(".hint")!.textContent!.replace(username, "…"));
      equal(errorText(reset), "");
      unmountAll();
    }
    equal(texts[0], texts[1]);
    equal(texts[0], en.reset.codeHint("…"));
  });

  it("goes back from the code step to fix the username, and resends with a busy state, a status and a cooldown", async () => {
    const user = await server.createUser(pool);
    const reset = await resetForm({ prefill: `${user.username}x` });
    submitButton(reset).click();
    await waitFor(() => reset.querySelector('input[name="code"]'), "the code step");
    (reset.querySelector("form .links button.link") as HTMLButtonElement).click();
    await waitFor(() => reset.querySelector('input[name="username"]:not([hidden])'), "back to the username");
    equal(input(reset, "username").value, `${user.username}x`, "what was typed is kept");
    fill(reset, { username: user.username });
    submitButton(reset).click();
    await waitFor(() => reset.querySelector('input[name="code"]'), "the code step again");
    const resend = reset.querySelector<HTMLButtonElement>("button.resend")!;
    const requests = countRequests();
    try {
      resend.click();
      resend.click();
      await waitFor(() => /\d+ s/.test(resend.textContent ?? ""), "the cooldown after the new code was sent");
    } finally {
      requests.restore();
    }
    equal(requests.targets.filter((target) => target === "ForgotPassword").length, 1, "two clicks, one request");
    ok(resend.disabled, "no third code during the cooldown");
    ok(/\S/.test(resend.nextElementSibling?.textContent ?? ""), "a status says a new code was sent");
  });

  it("shows the code-mismatch message for a wrong code and keeps the form", async () => {
    const user = await server.createUser(pool);
    const reset = await resetForm({ prefill: user.username });
    submitButton(reset).click();
    await waitFor(() => reset.querySelector('input[name="code"]'), "the code step");
    fill(reset, { code: "999999", "new-password": "Brand-N3w-pass" });
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
    equal(fieldError(reset, "username"), en.validation.required(en.fields.email));
    equal(field.getAttribute("aria-invalid"), "true");
    fill(reset, { username: "notanemail" });
    submitButton(reset).click();
    await waitFor(() => fieldError(reset, "username") === en.validation.email, "the email format message");
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
