/**
 * Keyboard only: each main flow completes with real Tab, typing and Enter (wtr sendKeys drives
 * Chromium's input pipeline, not synthetic DOM events). Errors are announced (role=alert), tied
 * to their field (aria-invalid, aria-describedby) and take focus there; a new step puts focus on
 * its first field.
 */
import { sendKeys } from "@web/test-runner-commands";
import { en } from "../../components/index.ts";
import {
  afterEach, beforeEach, countRequests, describe, equal, freshPool, it, mount, ok, PASSWORD, server, settled, uniqueName,
  unmountAll, waitFor, type Pool,
} from "./support.ts";

function focused(): HTMLElement {
  return document.activeElement as HTMLElement;
}

/** Tab until the focused control is `name` (an input name or a button's text), at most `limit` presses. */
async function tabTo(name: string, limit = 8): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await sendKeys({ press: "Tab" });
    const now = focused();
    if ((now as HTMLInputElement).name === name || now.textContent?.trim() === name) return;
  }
  throw new Error(`Tab never reached ${name} (stuck on <${focused().localName} name=${(focused() as HTMLInputElement).name}>)`);
}

async function type(text: string): Promise<void> {
  await sendKeys({ type: text });
}

/** Ctrl+A, then typing replaces the field's value. */
async function selectAll(): Promise<void> {
  await sendKeys({ down: "Control" });
  await sendKeys({ press: "a" });
  await sendKeys({ up: "Control" });
}

/** The message sits under the field (a check before any request) or in the form's alert (a server answer), tied to the field either way. */
function assertErrorTiedTo(root: Element, name: string, message: string): void {
  const field = root.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  const alert = root.querySelector('[role="alert"]')!;
  const own = root.querySelector(`#${CSS.escape(field.id)}-message`);
  const shown = own ?? alert;
  equal(shown.textContent?.trim(), message, "the announced message");
  equal(field.getAttribute("aria-invalid"), "true", `${name} aria-invalid`);
  ok(field.getAttribute("aria-describedby")?.split(" ").includes(shown.id), `${name} aria-describedby names the message`);
  equal(focused(), field, `focus moved to ${name}`);
  for (const other of root.querySelectorAll<HTMLInputElement>(`input:not([name="${name}"]):not([hidden])`)) {
    ok(other.getAttribute("aria-invalid") !== "true", `${other.name} stays valid`);
  }
}

describe("keyboard only", () => {
  let pool: Pool;
  beforeEach(async () => {
    pool = await freshPool();
    focused()?.blur();
  });
  afterEach(unmountAll);

  it("signs in with Tab, typing and Enter; a wrong password is announced, tied to the field and focused", async () => {
    const user = await server.createUser(pool);
    const login = mount("cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    await tabTo("username");
    await type(user.username);
    await tabTo("password");
    await type("Wrong-passw0rd!");
    await sendKeys({ press: "Enter" });
    equal(await settled(login), "error");
    assertErrorTiedTo(login, "password", en.errors.invalid_credentials);

    await selectAll();
    await type(user.password);
    await sendKeys({ press: "Enter" });
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in");
  });

  it("shows the password from the keyboard: Tab to the eye button, Space, then back to the field", async () => {
    const login = mount("cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    await tabTo("password");
    await type("Secret-1");
    await sendKeys({ press: "Tab" });
    ok(focused().classList.contains("reveal"), "the next stop is the show-password button");
    equal(focused().getAttribute("aria-label"), en.password.show);
    await sendKeys({ press: "Space" });
    await waitFor(() => login.querySelector<HTMLInputElement>('input[name="password"]')!.type === "text", "the password shown");
    equal(focused().getAttribute("aria-pressed"), "true", "the button keeps focus and says it is pressed");
    await sendKeys({ down: "Shift" });
    await sendKeys({ press: "Tab" });
    await sendKeys({ up: "Shift" });
    equal((focused() as HTMLInputElement).name, "password");
    equal((focused() as HTMLInputElement).value, "Secret-1", "what was typed is kept");
  });

  it("a missing field is announced and focused before any request", async () => {
    const login = mount("cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    await tabTo("username");
    await type("someone");
    const requests = countRequests();
    try {
      await sendKeys({ press: "Enter" });
      equal(await settled(login), "error");
    } finally {
      requests.restore();
    }
    assertErrorTiedTo(login, "password", en.validation.required(en.fields.password));
    equal(requests.targets.length, 0, "no request sent");
  });

  it("signs up and confirms with the keyboard alone; the code step takes focus", async () => {
    const signup = mount("cognito-signup", { fields: "email", "sign-in-after-confirm": "" });
    await waitFor(() => signup.querySelector("form"), "the sign-up form");
    const username = uniqueName("keys");
    await tabTo("username");
    await type(username);
    await tabTo("email");
    await type(`${username}@example.com`);
    await tabTo("password");
    await type(PASSWORD);
    await sendKeys({ press: "Enter" });
    await waitFor(() => signup.querySelector('input[name="code"]'), "the confirm step");
    await waitFor(() => (focused() as HTMLInputElement).name === "code", "focus on the code field");

    await type("000000");
    await sendKeys({ press: "Enter" });
    equal(await settled(signup), "error");
    assertErrorTiedTo(signup, "code", en.errors.code_mismatch);

    await selectAll();
    await type("123456");
    await sendKeys({ press: "Enter" });
    await waitFor(() => signup.getAttribute("auth-state") === "signed-in", "signed in after confirming");
    equal((await server.getUser(pool, username))?.UserStatus, "CONFIRMED");
  });

  it("switches forms in place from the keyboard: focus goes to the form shown, and back to sign-in's first field", async () => {
    const login = mount("cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    await tabTo(en.login.toSignUp);
    await sendKeys({ press: "Enter" });
    await waitFor(() => login.querySelector("cognito-signup form"), "sign-up in place");
    await waitFor(() => (focused() as HTMLInputElement).name === "username" && login.querySelector("cognito-signup")!.contains(focused()), "focus on sign-up's first field");

    await tabTo(en.signup.toSignIn, 12);
    await sendKeys({ press: "Enter" });
    await waitFor(() => !login.querySelector("cognito-signup"), "sign-in again");
    await waitFor(() => (focused() as HTMLInputElement).name === "username" && login.contains(focused()), "focus on sign-in's first field");
  });

  it("resets a password with the keyboard alone; a password that breaks the rules is tied to its field", async () => {
    const user = await server.createUser(pool);
    const reset = mount("cognito-reset-password");
    await waitFor(() => reset.querySelector("form"), "the reset form");
    await tabTo("username");
    await type(user.username);
    await sendKeys({ press: "Enter" });
    await waitFor(() => (focused() as HTMLInputElement).name === "code", "focus on the code field");
    await type("123456");
    await tabTo("new-password");
    await type("brand-new-pass");
    await sendKeys({ press: "Enter" });
    equal(await settled(reset), "error");
    assertErrorTiedTo(reset, "new-password", en.validation.passwordRules);
    await selectAll();
    await type("Brand-N3w-pass");
    await sendKeys({ press: "Enter" });
    await waitFor(() => reset.textContent?.includes(en.reset.done), "the success message");
  });

  it("takes an unconfirmed user through the confirm step and signs out with the keyboard", async () => {
    const username = uniqueName("unconfirmed");
    await server.call("SignUp", { ClientId: pool.clientId, Username: username, Password: PASSWORD });
    const login = mount("cognito-login");
    const signOut = mount("cognito-sign-out");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    await tabTo("username");
    await type(username);
    await tabTo("password");
    await type(PASSWORD);
    await sendKeys({ press: "Enter" });
    await waitFor(() => (focused() as HTMLInputElement).name === "code", "focus on the code field");
    await type("123456");
    await sendKeys({ press: "Enter" });
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in");
    focused()?.blur();
    await tabTo(en.signOut.button);
    await sendKeys({ press: "Enter" });
    await waitFor(() => login.getAttribute("auth-state") === "signed-out" && signOut.getAttribute("auth-state") === "signed-out", "signed out");
  });
});
