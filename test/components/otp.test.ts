/**
 * <cognito-login> with choice-based sign-in (`USER_AUTH`): one-time codes by email and SMS, the
 * choice Cognito offers (SELECT_CHALLENGE), switching factor, a wrong code, a new code.
 * cognito-local has no USER_AUTH, so these run against the stand-in in
 * dev/passwordless-stand-in.ts (AWS's documented shapes, in front of cognito-local): every test
 * name says so.
 */
import axe from "axe-core";
import { emulateMedia, executeServerCommand, sendKeys } from "@web/test-runner-commands";
import { configure, en } from "../../components/index.ts";
import { passwordlessPool } from "./passkey-tab.ts";
import {
  afterEach, button, beforeEach, CODE, configurePool, countRequests, describe, equal, deepEqual, errorText, fieldError, fill, heading, input, it, mount, ok, server, settled, submitButton,
  unmountAll, waitFor, type Pool, type User,
} from "./support.ts";

const calls = () => executeServerCommand<string[], unknown>("passwordless:calls");

/** A pool served through the stand-in, configured for USER_AUTH; no tokens stored. */
async function standInPool(): Promise<Pool> {
  const pool = await passwordlessPool();
  localStorage.clear();
  configurePool(pool, { authFlow: "USER_AUTH" });
  return pool;
}

async function signedOutLogin(attributes: Record<string, string> = {}): Promise<HTMLElementTagNameMap["cognito-login"]> {
  const login = mount("cognito-login", attributes);
  await waitFor(() => login.getAttribute("auth-state") === "signed-out" && login.querySelector("form"), "the sign-in form");
  return login;
}

/** The sign-in form with `factors`, `user`'s username sent, at the code step. */
async function codeStep(user: User, factors: string): Promise<HTMLElementTagNameMap["cognito-login"]> {
  const login = await signedOutLogin({ factors });
  await enterUsername(login, user.username);
  await waitFor(() => login.querySelector('input[name="code"]'), "the code step");
  return login;
}

/** The right code submitted; waits until signed in (`what` names the wait). */
async function signInWithCode(login: Element, what: string): Promise<void> {
  fill(login, { code: CODE });
  submitButton(login).click();
  await waitFor(() => login.getAttribute("auth-state") === "signed-in", what);
}

function buttons(root: Element): string[] {
  return [...root.querySelectorAll<HTMLButtonElement>('button[type="button"].secondary:not(.resend)')].map((button) => button.textContent!.trim());
}


async function enterUsername(login: Element, username: string): Promise<void> {
  ok(!login.querySelector('input[type="password"]'), "the first step asks for no password");
  fill(login, { username });
  equal(submitButton(login).textContent?.trim(), en.login.next);
  submitButton(login).click();
}

describe("<cognito-login> one-time codes (USER_AUTH)", () => {
  let pool: Pool;
  let user: User;
  beforeEach(async () => {
    pool = await standInPool();
    user = await server.createUser(pool, { attributes: { email: "user@example.com", phone_number: "+15555550142" } });
  });
  afterEach(unmountAll);

  it("stand-in: signs in with an email code: username, then the code sent to the masked address, then signed in", async () => {
    const before = (await calls()).length;
    const login = await signedOutLogin({ factors: "email-otp password" });
    const events: CustomEvent[] = [];
    login.addEventListener("cognito-signed-in", (event) => events.push(event as unknown as CustomEvent));
    await enterUsername(login, user.username);
    await waitFor(() => login.querySelector('input[name="code"]'), "the code step");
    equal(heading(login), en.login.mfaTitle);
    ok(login.textContent?.includes(en.login.mfaHint("u***@e***")), "names the masked address Cognito gave");
    equal(input(login, "code").getAttribute("autocomplete"), "one-time-code");
    await signInWithCode(login, "signed in");
    deepEqual((await calls()).slice(before), ["InitiateAuth:USER_AUTH", "RespondToAuthChallenge:EMAIL_OTP"]);
    equal(JSON.stringify(events[0]!.detail), JSON.stringify({ username: user.username, loginId: user.username }), "no code in the event");
  });

  it("stand-in: a session from an email code refreshes with its refresh token and stays signed in", async () => {
    const client = configurePool(pool, { authFlow: "USER_AUTH" });
    equal((await client.startSignIn(user.username, "EMAIL_OTP")).kind, "otp");
    equal((await client.sendOtp(CODE)).kind, "signed-in");
    const first = await client.accessToken();
    const before = (await calls()).length;
    const refreshed = await client.refresh();
    equal(refreshed?.username, user.username);
    ok((await client.accessToken()) !== first, "a new access token");
    deepEqual((await calls()).slice(before), ["InitiateAuth:REFRESH_TOKEN_AUTH"]);
  });

  it("stand-in: signs in with an SMS code sent to the masked phone number", async () => {
    const login = await codeStep(user, "sms-otp");
    ok(login.textContent?.includes(en.login.mfaHint("+*******0142")), `names the masked number: ${login.textContent}`);
    await signInWithCode(login, "signed in");
    equal((await calls()).at(-1), "RespondToAuthChallenge:SMS_OTP");
  });

  it("stand-in: without factors, auth-flow USER_AUTH shows Cognito's choices (SELECT_CHALLENGE) and answers the one picked", async () => {
    const before = (await calls()).length;
    const login = await signedOutLogin();
    await enterUsername(login, user.username);
    await waitFor(() => heading(login) === en.login.chooseTitle, "the choice");
    deepEqual(buttons(login), [en.login.factor("password"), en.login.factor("email-otp"), en.login.factor("sms-otp")]);
    button(login, en.login.factor("email-otp")).click();
    await waitFor(() => login.querySelector('input[name="code"]'), "the code step");
    await signInWithCode(login, "signed in");
    deepEqual((await calls()).slice(before), ["InitiateAuth:USER_AUTH", "RespondToAuthChallenge:SELECT_CHALLENGE", "RespondToAuthChallenge:EMAIL_OTP"]);
  });

  it("stand-in: a wrong code keeps the code step and what was typed, says so, and the right code then signs in", async () => {
    const login = await codeStep(user, "email-otp");
    fill(login, { code: "000000" });
    submitButton(login).click();
    equal(await settled(login), "error");
    equal(errorText(login), en.errors.code_mismatch);
    equal(input(login, "code").value, "000000", "what was typed stays");
    equal(input(login, "code").getAttribute("aria-invalid"), "true");
    equal(heading(login), en.login.mfaTitle, "still the code step");
    await signInWithCode(login, "signed in with the right code in the same session");
  });

  it("stand-in: 'Send a new code' starts the sign-in again with the same factor and names where the code went", async () => {
    const login = await codeStep(user, "email-otp");
    const before = (await calls()).length;
    login.querySelector<HTMLButtonElement>("button.resend")!.click();
    await waitFor(() => login.textContent?.includes(en.confirm.resent("u***@e***")), "the resend status");
    deepEqual((await calls()).slice(before), ["InitiateAuth:USER_AUTH"]);
    await signInWithCode(login, "signed in with the new session");
  });

  it("stand-in: switching from the code to the password starts a new sign-in and the password answers its SELECT_CHALLENGE", async () => {
    const login = await codeStep(user, "email-otp password");
    deepEqual(buttons(login), [en.login.factor("password")], "the page's other factor");
    const before = (await calls()).length;
    button(login, en.login.factor("password")).click();
    await waitFor(() => heading(login) === en.login.passwordTitle, "the password step");
    equal(input(login, "password").getAttribute("autocomplete"), "current-password");
    fill(login, { password: "Wrong-passw0rd!" });
    submitButton(login).click();
    equal(await settled(login), "error");
    equal(errorText(login), en.errors.invalid_credentials);
    equal(input(login, "password").value, "Wrong-passw0rd!", "what was typed stays");
    fill(login, { password: user.password });
    submitButton(login).click();
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in with the password");
    const made = (await calls()).slice(before);
    ok(made.includes("InitiateAuth:USER_AUTH") && made.at(-1) === "RespondToAuthChallenge:SELECT_CHALLENGE", `a new sign-in: ${made.join(", ")}`);
  });

  it("stand-in: the password first goes straight to the password step after the username", async () => {
    const login = await signedOutLogin({ factors: "password email-otp" });
    await enterUsername(login, user.username);
    await waitFor(() => heading(login) === en.login.passwordTitle, "the password step");
    deepEqual(buttons(login).filter((label) => label !== en.password.show), [en.login.factor("email-otp")]);
    fill(login, { password: user.password });
    submitButton(login).click();
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in");
  });

  it("stand-in: where the browser has no WebAuthn, a passkey-only page offers Cognito's other factors instead", async () => {
    const saved = Object.getOwnPropertyDescriptor(window, "PublicKeyCredential")!;
    await executeServerCommand("passwordless:seedPasskey", { sub: user.sub });
    delete (window as { PublicKeyCredential?: unknown }).PublicKeyCredential;
    try {
      const login = await signedOutLogin({ factors: "passkey" });
      await enterUsername(login, user.username);
      await waitFor(() => heading(login) === en.login.chooseTitle, "the choice");
      deepEqual(buttons(login), [en.login.factor("password"), en.login.factor("email-otp"), en.login.factor("sms-otp")]);
    } finally {
      Object.defineProperty(window, "PublicKeyCredential", saved);
    }
  });

  it("stand-in: an unconfirmed user goes to the confirm step and is signed in by ConfirmSignUp's session, no second code", async () => {
    const username = `unconfirmed${Date.now().toString(36)}`;
    await server.call("SignUp", { ClientId: pool.clientId, Username: username, Password: "Passw0rd!Test", UserAttributes: [{ Name: "email", Value: `${username}@example.com` }] });
    const login = await signedOutLogin({ factors: "email-otp" });
    await enterUsername(login, username);
    await waitFor(() => heading(login) === en.confirm.title, "the confirm step");
    const before = (await calls()).length;
    await signInWithCode(login, "signed in");
    deepEqual((await calls()).slice(before), ["ConfirmSignUp", "InitiateAuth:USER_AUTH"]);
  });

  it("stand-in: the profile shows passkeys only with USER_AUTH or its passkeys attribute, loaded when the attribute is set", async () => {
    const client = configure({ poolId: pool.poolId, clientId: pool.clientId, endpoint: pool.endpoint });
    await client.startSignIn(user.username);
    await client.answerWithPassword(user.password);
    const profile = mount("cognito-profile");
    await waitFor(() => profile.querySelector<HTMLInputElement>('input[name="email"]')?.value, "the attributes");
    ok(!profile.querySelector(".passkeys"), "no passkeys panel with the default flow");
    profile.setAttribute("passkeys", "");
    await waitFor(() => profile.querySelector(".passkeys")?.textContent?.includes(en.passkeys.none), "the passkeys panel, loaded");
  });

  it("stand-in: asks for the username before anything, and sends nothing while it is missing", async () => {
    const login = await signedOutLogin({ factors: "email-otp" });
    const requests = countRequests();
    try {
      submitButton(login).click();
      await waitFor(() => fieldError(login, "username"), "the required message");
    } finally {
      requests.restore();
    }
    equal(fieldError(login, "username"), en.validation.required(en.fields.username));
    equal(requests.targets.length, 0, "no request without a username");
  });

  it("stand-in: passwordless sign-up asks for no password and signs the user in with ConfirmSignUp's session, no second code", async () => {
    const signup = mount("cognito-signup", { passwordless: "" });
    await waitFor(() => signup.querySelector("form"), "the sign-up form");
    ok(!signup.querySelector('input[type="password"]'), "no password field");
    const username = `pwless${Date.now().toString(36)}`;
    const events: string[] = [];
    for (const type of ["cognito-signed-up", "cognito-confirmed", "cognito-signed-in"]) signup.addEventListener(type, () => events.push(type));
    fill(signup, { username, email: `${username}@example.com` });
    submitButton(signup).click();
    await waitFor(() => signup.querySelector('input[name="code"]'), "the confirm step");
    const before = (await calls()).length;
    fill(signup, { code: CODE });
    submitButton(signup).click();
    await waitFor(() => signup.getAttribute("auth-state") === "signed-in", "signed in");
    deepEqual((await calls()).slice(before), ["ConfirmSignUp", "InitiateAuth:USER_AUTH"], "the session from ConfirmSignUp, no code asked for");
    deepEqual(events, ["cognito-signed-up", "cognito-confirmed", "cognito-signed-in"]);
    const profile = mount("cognito-profile");
    await waitFor(() => profile.querySelector(".passkeys") && profile.querySelector(".passkeys button:not([disabled])"), "the passkeys panel");
    ok(!profile.querySelector('input[name="current-password"]'), "GetUserAuthFactors lists no PASSWORD: no change-password form");
  });

  it("stand-in: the profile says why there are no passkeys where the browser has no PublicKeyCredential", async () => {
    const client = configurePool(pool, { authFlow: "USER_AUTH" });
    await client.startSignIn(user.username);
    await client.answerWithPassword(user.password);
    const saved = Object.getOwnPropertyDescriptor(window, "PublicKeyCredential")!;
    delete (window as { PublicKeyCredential?: unknown }).PublicKeyCredential;
    try {
      const profile = mount("cognito-profile");
      await waitFor(() => profile.querySelector(".passkeys"), "the passkeys panel");
      equal(profile.querySelector(".passkeys p")?.textContent?.trim(), en.passkeys.unsupported);
      ok(!profile.querySelector(".passkeys button"), "nothing to click");
      ok(profile.querySelector('input[name="current-password"]'), "a user with a password keeps the password form");
    } finally {
      Object.defineProperty(window, "PublicKeyCredential", saved);
    }
  });
});

/** Runs axe over <main>, in the light and the dark scheme; fails listing every violation. */
async function audit(main: HTMLElement, state: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await emulateMedia({ colorScheme: scheme });
    const result = await axe.run(main, { resultTypes: ["violations"] });
    const found = result.violations.map((violation) => `${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
    equal(found.join("\n"), "", `axe violations in ${state} (${scheme})`);
  }
  await emulateMedia({ colorScheme: "light" });
}

describe("choice-based sign-in: accessibility and keyboard", () => {
  let pool: Pool;
  let user: User;
  let main: HTMLElement;
  beforeEach(async () => {
    pool = await standInPool();
    user = await server.createUser(pool, { attributes: { email: "user@example.com" } });
    main = document.createElement("main");
    main.innerHTML = "<h1>cognito-elements</h1>";
    document.body.append(main);
    document.documentElement.lang = "en";
    document.title = "cognito-elements choice-based sign-in";
  });
  afterEach(() => {
    main.remove();
    unmountAll();
  });

  function place<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
    const element = mount(tag, attributes);
    main.append(element.parentElement!);
    return element;
  }

  it("stand-in: axe finds nothing in the username step, the choice, the code step with a wrong code, the password step, a failed passkey, and the profile's passkeys", async () => {
    const login = place("cognito-login");
    await waitFor(() => login.getAttribute("auth-state") === "signed-out" && login.querySelector("form"), "the username step");
    await audit(main, "username step");
    await enterUsername(login, user.username);
    await waitFor(() => heading(login) === en.login.chooseTitle, "the choice");
    await audit(main, "factor choice");
    button(login, en.login.factor("email-otp")).click();
    await waitFor(() => login.querySelector('input[name="code"]'), "the code step");
    fill(login, { code: "000000" });
    submitButton(login).click();
    equal(await settled(login), "error");
    await audit(main, "code step with a wrong code");
    button(login, en.login.factor("password")).click();
    await waitFor(() => heading(login) === en.login.passwordTitle, "the password step");
    await audit(main, "password step");
    login.remove();

    // This page's origin is an IP address, where browsers refuse WebAuthn: the ceremony fails as a cancelled one would.
    const passkeyLogin = place("cognito-login", { factors: "passkey email-otp" });
    await waitFor(() => passkeyLogin.querySelector("form"), "the username step");
    // Cognito offers WEB_AUTHN only to a user with a passkey.
    await executeServerCommand("passwordless:seedPasskey", { sub: user.sub });
    const client = configurePool(pool, { authFlow: "USER_AUTH" });
    await client.startSignIn(user.username);
    await client.answerWithPassword(user.password);
    const profile = place("cognito-profile");
    await waitFor(() => profile.querySelector(".passkeys button:not([disabled])"), "the passkeys panel");
    await audit(main, "profile with the passkeys panel");
    await client.signOut();
    profile.parentElement!.remove();
    await waitFor(() => passkeyLogin.querySelector('input[name="username"]'), "the username step again");
    await enterUsername(passkeyLogin, user.username);
    await waitFor(() => passkeyLogin.querySelector('[role="alert"]')?.textContent?.trim(), "the passkey failure");
    equal(errorText(passkeyLogin), en.login.passkeyFailed, "a cancelled or refused ceremony reads the same");
    await audit(main, "failed passkey with the other factors");
  });

  it("stand-in: axe finds nothing in the passwordless sign-up, its passkey offer (and its failure here), and a passkey's delete confirmation", async () => {
    const signup = place("cognito-signup", { passwordless: "", "passkey-prompt": "" });
    await waitFor(() => signup.querySelector("form"), "the sign-up form");
    await audit(main, "passwordless sign-up form");
    const username = `a11y${Date.now().toString(36)}`;
    fill(signup, { username, email: `${username}@example.com` });
    submitButton(signup).click();
    await waitFor(() => signup.querySelector('input[name="code"]'), "the confirm step");
    fill(signup, { code: CODE });
    submitButton(signup).click();
    await waitFor(() => heading(signup) === en.passkeys.add, "the passkey offer");
    await audit(main, "passkey offer after sign-up");
    // This page's IP-address origin refuses WebAuthn, as a cancelled prompt would end.
    button(signup, en.passkeys.add).click();
    await waitFor(() => errorText(signup), "the failure");
    equal(errorText(signup), en.passkeys.failed);
    await audit(main, "passkey offer that failed");
    button(signup, en.signup.later).click();
    await waitFor(() => !signup.querySelector(".panel"), "the offer gone");
    signup.parentElement!.remove();

    const found = await server.getUser(pool, username);
    const sub = (found?.UserAttributes as Array<{ Name: string; Value: string }>).find((attribute) => attribute.Name === "sub")!.Value;
    await executeServerCommand("passwordless:seedPasskey", { sub });
    const profile = place("cognito-profile");
    await waitFor(() => profile.querySelector(".passkeys li"), "the listed passkey");
    button(profile, en.passkeys.delete).click();
    await waitFor(() => profile.textContent?.includes(en.passkeys.deleteConfirm), "the confirmation");
    await audit(main, "passkey delete confirmation");
  });

  it("stand-in: signs in with the keyboard alone: username and Enter, Tab to 'Email me a code', Enter, the code and Enter", async () => {
    (document.activeElement as HTMLElement | null)?.blur();
    const login = place("cognito-login");
    await waitFor(() => login.getAttribute("auth-state") === "signed-out" && login.querySelector("form"), "the username step");
    await sendKeys({ press: "Tab" });
    equal((document.activeElement as HTMLInputElement).name, "username");
    await sendKeys({ type: user.username });
    await sendKeys({ press: "Enter" });
    await waitFor(() => heading(login) === en.login.chooseTitle, "the choice");
    await waitFor(() => login.contains(document.activeElement), "focus kept inside the element");
    for (let i = 0; i < 6 && document.activeElement?.textContent?.trim() !== en.login.factor("email-otp"); i++) await sendKeys({ press: "Tab" });
    equal(document.activeElement?.textContent?.trim(), en.login.factor("email-otp"));
    await sendKeys({ press: "Enter" });
    await waitFor(() => (document.activeElement as HTMLInputElement | null)?.name === "code", "focus on the code field");
    await sendKeys({ type: CODE });
    await sendKeys({ press: "Enter" });
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in");
  });

  it("stand-in: from a failed passkey prompt the keyboard reaches another factor: Tab to 'Email me a code', Enter, the code, Enter", async () => {
    await executeServerCommand("passwordless:seedPasskey", { sub: user.sub });
    (document.activeElement as HTMLElement | null)?.blur();
    const login = place("cognito-login", { factors: "passkey email-otp" });
    await waitFor(() => login.getAttribute("auth-state") === "signed-out" && login.querySelector("form"), "the username step");
    await sendKeys({ press: "Tab" });
    await sendKeys({ type: user.username });
    await sendKeys({ press: "Enter" });
    // This page's IP-address origin refuses WebAuthn: the prompt fails as a cancelled one would.
    await waitFor(() => errorText(login) === en.login.passkeyFailed, "the passkey failure");
    ok(login.contains(document.activeElement), "focus stays inside the element");
    for (let i = 0; i < 6 && document.activeElement?.textContent?.trim() !== en.login.factor("email-otp"); i++) await sendKeys({ press: "Tab" });
    equal(document.activeElement?.textContent?.trim(), en.login.factor("email-otp"));
    await sendKeys({ press: "Enter" });
    await waitFor(() => (document.activeElement as HTMLInputElement | null)?.name === "code", "focus on the code field");
    await sendKeys({ type: CODE });
    await sendKeys({ press: "Enter" });
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in");
  });
});
