/**
 * <cognito-signup> against a real cognito-local; resend against the recorded stand-in, since
 * cognito-local has no ResendConfirmationCode.
 */
import { en } from "../../components/index.ts";
import {
  afterEach, beforeEach, configurePool, countRequests, describe, equal, errorText, fieldError, fill, freshPool, heading, input, it, mount,
  ok, PASSWORD, server, settled, submitButton, uniqueName, unmountAll, waitFor, type Pool,
} from "./support.ts";

async function signupForm(attributes: Record<string, string> = {}): Promise<HTMLElementTagNameMap["cognito-signup"]> {
  const signup = mount("cognito-signup", attributes);
  await waitFor(() => signup.getAttribute("auth-state") === "signed-out" && signup.querySelector("form"), "the sign-up form");
  return signup;
}

describe("<cognito-signup>", () => {
  let pool: Pool;
  beforeEach(async () => {
    pool = await freshPool();
  });
  afterEach(unmountAll);

  it("signs up through the form, confirms with the code and ends signed in; the user is CONFIRMED in cognito-local", async () => {
    const signup = await signupForm({ fields: "email name", "sign-in-after-confirm": "" });
    const events: Array<[string, unknown]> = [];
    for (const type of ["cognito-signed-up", "cognito-confirmed", "cognito-signed-in"] as const) {
      signup.addEventListener(type, (event) => events.push([type, event.detail]));
    }
    const username = uniqueName("new");
    fill(signup, { username, email: `${username}@example.com`, name: "New Person", password: PASSWORD });
    submitButton(signup).click();
    await waitFor(() => signup.querySelector('input[name="code"]'), "the confirm step");
    equal(heading(signup), en.confirm.title);
    equal((await server.getUser(pool, username))?.UserStatus, "UNCONFIRMED");
    fill(signup, { code: "123456" });
    submitButton(signup).click();
    await waitFor(() => signup.getAttribute("auth-state") === "signed-in", "signed in");
    const user = await server.getUser(pool, username);
    equal(user?.UserStatus, "CONFIRMED");
    const attributes = Object.fromEntries((user?.UserAttributes ?? []).map((a: { Name: string; Value: string }) => [a.Name, a.Value]));
    equal(attributes.email, `${username}@example.com`);
    equal(attributes.name, "New Person");
    equal(events.map(([type]) => type).join(" "), "cognito-signed-up cognito-confirmed cognito-signed-in");
    equal(JSON.stringify(events[1]![1]), JSON.stringify({ username }));
  });

  it("shows the password rules before submit and refuses a weak password without a request", async () => {
    const signup = await signupForm();
    const rules = [...signup.querySelectorAll(".rules li")].map((li) => li.textContent?.trim() ?? "");
    equal(rules.length, 5);
    ok(rules[0]!.startsWith(en.password.minLength(8)), "min length 8 by default");
    ok(input(signup, "password").getAttribute("aria-describedby")?.includes(signup.querySelector(".rules")!.id), "rules describe the input");
    const requests = countRequests();
    try {
      fill(signup, { username: uniqueName(), email: "a@example.com", password: "short" });
      await waitFor(() => signup.querySelectorAll(".rules li.met").length === 1, "only 'lowercase' met");
      submitButton(signup).click();
      equal(await settled(signup), "error");
      equal(fieldError(signup, "password"), en.validation.passwordRules);
      equal(input(signup, "password").getAttribute("aria-invalid"), "true");
      equal(requests.targets.length, 0);
    } finally {
      requests.restore();
    }
  });

  it("takes its password rules from attributes", async () => {
    const signup = await signupForm({ "password-min-length": "12", "password-rules": "number" });
    const rules = [...signup.querySelectorAll(".rules li")].map((li) => li.textContent?.trim() ?? "");
    equal(rules.length, 2);
    ok(rules[0]!.startsWith(en.password.minLength(12)));
    ok(rules[1]!.startsWith(en.password.rule.number));
  });

  it("enforces required fields and marks the optional ones", async () => {
    const signup = await signupForm({ fields: "email name custom:team", "required-fields": "email custom:team" });
    ok(signup.querySelector(`label[for="${input(signup, "name").id}"]`)?.textContent?.includes(en.signup.optional), "name is optional");
    equal(input(signup, "email").getAttribute("autocomplete"), "email");
    equal(input(signup, "password").getAttribute("autocomplete"), "new-password");
    fill(signup, { username: uniqueName(), email: "a@example.com", password: PASSWORD });
    submitButton(signup).click();
    equal(await settled(signup), "error");
    equal(fieldError(signup, "custom:team"), en.validation.required("team"));
    equal(input(signup, "custom:team").getAttribute("aria-invalid"), "true");
  });

  it("checks the email format before any request and shows every problem at once", async () => {
    const signup = await signupForm({ fields: "email phone_number", "required-fields": "email" });
    const requests = countRequests();
    try {
      fill(signup, { username: "", email: "notanemail", phone_number: "555-0123", password: "weak" });
      // As a click does: focus on the button, then submit.
      submitButton(signup).focus();
      submitButton(signup).click();
      equal(await settled(signup), "error");
      equal(fieldError(signup, "username"), en.validation.required(en.fields.username));
      equal(fieldError(signup, "email"), en.validation.email);
      equal(fieldError(signup, "phone_number"), en.validation.phone);
      equal(fieldError(signup, "password"), en.validation.passwordRules);
      equal(document.activeElement, input(signup, "username"), "focus on the first invalid field");
      equal(requests.targets.length, 0);
    } finally {
      requests.restore();
    }
  });

  it("reports an existing username with its own message and keeps the typed values", async () => {
    const existing = await server.createUser(pool);
    const signup = await signupForm();
    fill(signup, { username: existing.username, email: "b@example.com", password: PASSWORD });
    submitButton(signup).click();
    equal(await settled(signup), "error");
    equal(errorText(signup), en.errors.username_exists);
    equal(input(signup, "username").value, existing.username);
    equal(input(signup, "password").value, PASSWORD);
    equal(input(signup, "username").getAttribute("aria-invalid"), "true");
  });

  it("shows the code-mismatch message for a wrong code", async () => {
    const signup = await signupForm();
    fill(signup, { username: uniqueName(), email: "c@example.com", password: PASSWORD });
    submitButton(signup).click();
    await waitFor(() => signup.querySelector('input[name="code"]'), "the confirm step");
    fill(signup, { code: "000000" });
    submitButton(signup).click();
    equal(await settled(signup), "error");
    equal(errorText(signup), en.errors.code_mismatch);
    equal(input(signup, "code").value, "000000");
  });

  it("stand-in: resends the confirmation code (cognito-local lacks ResendConfirmationCode)", async () => {
    const standIn = await server.standIn();
    configurePool(pool, { endpoint: standIn.endpoint });
    const signup = await signupForm();
    const username = uniqueName("resend");
    fill(signup, { username, email: "d@example.com", password: PASSWORD });
    submitButton(signup).click();
    await waitFor(() => signup.querySelector('input[name="code"]'), "the confirm step");
    const before = (await server.standInCalls()).length;
    const resend = signup.querySelector<HTMLButtonElement>("button.resend")!;
    resend.click();
    resend.click();
    resend.click();
    await waitFor(() => signup.querySelector('.status[role="status"]')?.textContent?.trim() === en.confirm.resent("s***@e***"), "the resent notice");
    ok(resend.disabled && /\d+ s/.test(resend.textContent ?? ""), "a countdown before the next code");
    const calls = (await server.standInCalls()).slice(before);
    equal(calls.length, 1, "three clicks, one request");
    equal(calls[0]!.target, "ResendConfirmationCode");
    equal(calls[0]!.body.Username, username);
    equal(calls[0]!.body.ClientId, pool.clientId);
  });

  it("goes back from the code step to fix the email, keeping what was typed", async () => {
    const signup = await signupForm();
    const username = uniqueName("typo");
    fill(signup, { username, email: "typo@example.con", password: PASSWORD });
    submitButton(signup).click();
    await waitFor(() => signup.querySelector('input[name="code"]'), "the confirm step");
    const back = [...signup.querySelectorAll<HTMLButtonElement>(".links button.link")].find((button) => button.textContent?.trim() === en.confirm.back(en.fields.username))!;
    back.click();
    await waitFor(() => signup.querySelector('input[name="email"]'), "the form again");
    equal(input(signup, "username").value, username);
    equal(input(signup, "email").value, "typo@example.con");
  });
});
