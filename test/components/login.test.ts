/**
 * <cognito-login> against a real cognito-local (USER_PASSWORD_AUTH: it lacks SRP).
 */
import { en } from "../../components/index.ts";
import {
  afterEach, beforeEach, configurePool, countRequests, describe, equal, errorText, fieldError, fill, freshPool, heading, input, it, mount,
  ok, PASSWORD, server, settled, submitButton, uniqueName, unmountAll, waitFor, type Pool,
} from "./support.ts";

async function signedOutLogin(): Promise<HTMLElementTagNameMap["cognito-login"]> {
  const login = mount("cognito-login");
  await waitFor(() => login.getAttribute("auth-state") === "signed-out" && login.querySelector("form"), "the sign-in form");
  return login;
}

describe("<cognito-login>", () => {
  let pool: Pool;
  beforeEach(async () => {
    pool = await freshPool();
  });
  afterEach(unmountAll);

  it("signs a user in and emits cognito-signed-in with only the username and the login id", async () => {
    const user = await server.createUser(pool);
    const login = await signedOutLogin();
    const events: CustomEvent[] = [];
    login.addEventListener("cognito-signed-in", (event) => events.push(event as unknown as CustomEvent));
    fill(login, { username: user.username, password: user.password });
    submitButton(login).click();
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed-in state");
    equal(events.length, 1);
    equal(JSON.stringify(events[0]!.detail), JSON.stringify({ username: user.username, loginId: user.username }));
    ok(login.textContent?.includes(en.login.signedInAs(user.username)), "shows who is signed in");
    ok(!login.querySelector('input[type="password"]'), "no password input left in the DOM");
  });

  it("shows the same message for a wrong password and an unknown user", async () => {
    const user = await server.createUser(pool);
    const login = await signedOutLogin();
    fill(login, { username: user.username, password: "Wrong-passw0rd!" });
    submitButton(login).click();
    equal(await settled(login), "error");
    const wrongPassword = errorText(login);
    // form-state is already "error" from the first attempt: record its changes to wait for the second.
    const states: string[] = [];
    const observer = new MutationObserver(() => states.push(login.getAttribute("form-state") ?? ""));
    observer.observe(login, { attributes: true, attributeFilter: ["form-state"] });
    const requests = countRequests();
    try {
      fill(login, { username: uniqueName("nobody"), password: "Wrong-passw0rd!" });
      submitButton(login).click();
      await waitFor(() => states.includes("pending") && states.at(-1) === "error", "the second attempt to fail");
    } finally {
      observer.disconnect();
      requests.restore();
    }
    equal(requests.targets.filter((target) => target === "InitiateAuth").length, 1, "the unknown user was sent to Cognito");
    equal(errorText(login), wrongPassword);
    equal(wrongPassword, en.errors.invalid_credentials);
    equal(input(login, "password").getAttribute("aria-invalid"), "true");
    ok(input(login, "password").getAttribute("aria-describedby")?.includes(login.querySelector('[role="alert"]')!.id), "error tied to the field");
  });

  it("takes an unconfirmed user to the confirm step and signs them in after the code", async () => {
    const username = uniqueName("unconfirmed");
    await server.call("SignUp", { ClientId: pool.clientId, Username: username, Password: PASSWORD });
    const login = await signedOutLogin();
    fill(login, { username, password: PASSWORD });
    submitButton(login).click();
    await waitFor(() => login.querySelector('input[name="code"]'), "the confirm step");
    const code = input(login, "code");
    equal(code.getAttribute("autocomplete"), "one-time-code");
    equal(code.getAttribute("inputmode"), "numeric");
    fill(login, { code: "123456" });
    submitButton(login).click();
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in after confirmation");
    equal((await server.getUser(pool, username))?.UserStatus, "CONFIRMED");
  });

  it("walks an admin-created user through the new-password step to signed in", async () => {
    const user = await server.createUser(pool, { temporary: true });
    const login = await signedOutLogin();
    fill(login, { username: user.username, password: user.password });
    submitButton(login).click();
    await waitFor(() => login.querySelector('input[name="new-password"]'), "the new-password step");
    equal(heading(login), en.login.newPasswordTitle);
    equal(input(login, "new-password").getAttribute("autocomplete"), "new-password");
    fill(login, { "new-password": "N3w-Passw0rd!" });
    submitButton(login).click();
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in");
    equal((await server.getUser(pool, user.username))?.UserStatus, "CONFIRMED");
  });

  it("sends one request when submit is clicked twice", async () => {
    const user = await server.createUser(pool);
    const login = await signedOutLogin();
    fill(login, { username: user.username, password: user.password });
    const requests = countRequests();
    try {
      submitButton(login).click();
      submitButton(login).click();
      login.querySelector("form")!.requestSubmit();
      await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in");
      equal(requests.targets.filter((target) => target === "InitiateAuth").length, 1);
    } finally {
      requests.restore();
    }
  });

  it("shows the network message and keeps what was typed when the endpoint is dead", async () => {
    const dead = await server.deadEndpoint();
    configurePool(pool, { endpoint: dead });
    const login = await signedOutLogin();
    fill(login, { username: "someone", password: "Typed-Passw0rd!" });
    submitButton(login).click();
    equal(await settled(login), "error");
    equal(errorText(login), en.errors.network);
    equal(input(login, "username").value, "someone");
    equal(input(login, "password").value, "Typed-Passw0rd!");
    ok(!submitButton(login).disabled, "submit enabled again");
  });

  it("asks for both fields before sending anything, each message under its field", async () => {
    const login = await signedOutLogin();
    const requests = countRequests();
    try {
      submitButton(login).click();
      equal(await settled(login), "error");
      equal(requests.targets.length, 0);
      equal(fieldError(login, "username"), en.validation.required(en.fields.username));
      equal(fieldError(login, "password"), en.validation.required(en.fields.password));
      equal(errorText(login), "", "the form's alert is for server answers only");
      fill(login, { username: "someone" });
      await waitFor(() => fieldError(login, "username") === "", "the username's message gone once it changed");
      equal(input(login, "password").getAttribute("aria-invalid"), "true", "the password's stays");
    } finally {
      requests.restore();
    }
  });

  it("shows and hides the password with a toggle that keeps focus, caret and autocomplete", async () => {
    const login = await signedOutLogin();
    const password = input(login, "password");
    const toggle = login.querySelector<HTMLButtonElement>("button.reveal")!;
    equal(toggle.getAttribute("aria-label"), en.password.show);
    equal(toggle.getAttribute("aria-pressed"), "false");
    fill(login, { password: "Secret-1" });
    password.focus();
    password.setSelectionRange(3, 3);
    toggle.click();
    await waitFor(() => password.type === "text", "the password shown");
    equal(toggle.getAttribute("aria-pressed"), "true");
    equal(toggle.getAttribute("aria-label"), en.password.hide);
    equal(document.activeElement, password, "focus stays in the input");
    equal(password.selectionStart, 3, "the caret stays where it was");
    equal(password.getAttribute("autocomplete"), "current-password");
    toggle.click();
    await waitFor(() => password.type === "password", "hidden again");
  });

  it("switches to sign-up and password reset in place when no href and no listener routes, and back", async () => {
    const login = await signedOutLogin();
    fill(login, { username: "someone" });
    login.querySelector<HTMLButtonElement>(".links button.link:nth-of-type(2)")!.click();
    await waitFor(() => login.querySelector("cognito-reset-password form"), "the reset form in place");
    equal(login.querySelector<HTMLInputElement>('cognito-reset-password input[name="username"]')!.value, "someone", "the username carried over");
    login.querySelector<HTMLButtonElement>("cognito-reset-password .links button.link")!.click();
    await waitFor(() => !login.querySelector("cognito-reset-password") && login.querySelector('input[name="password"]'), "back to sign-in");
    login.querySelector<HTMLButtonElement>(".links button.link")!.click();
    await waitFor(() => login.querySelector("cognito-signup form"), "the sign-up form in place");
    login.querySelector<HTMLButtonElement>("cognito-signup .links button.link")!.click();
    await waitFor(() => !login.querySelector("cognito-signup") && login.querySelector('input[name="password"]'), "back to sign-in");
  });

  it("after a password reset in place, says the password changed, on the sign-in form with the username filled in", async () => {
    const user = await server.createUser(pool);
    const login = await signedOutLogin();
    fill(login, { username: user.username });
    login.querySelector<HTMLButtonElement>(".links button.link:nth-of-type(2)")!.click();
    const reset = await waitFor(() => login.querySelector("cognito-reset-password"), "the reset form in place");
    await waitFor(() => reset.querySelector("form"), "its form");
    submitButton(reset).click();
    await waitFor(() => reset.querySelector('input[name="code"]'), "the code step");
    fill(reset, { code: "123456", "new-password": "Brand-N3w-pass" });
    submitButton(reset).click();
    await waitFor(() => login.querySelector(".success")?.textContent?.trim() === en.login.passwordChanged, "the password-changed message");
    equal(input(login, "username").value, user.username);
  });

  it("labels every input and uses the password-manager autocomplete tokens", async () => {
    const login = await signedOutLogin();
    for (const field of login.querySelectorAll("input")) {
      ok(login.querySelector(`label[for="${field.id}"]`), `label for ${field.name}`);
    }
    equal(input(login, "username").getAttribute("autocomplete"), "username");
    equal(input(login, "password").getAttribute("autocomplete"), "current-password");
    ok(login.querySelector("form") && !login.shadowRoot, "a light-DOM form");
  });

  it("fires cancelable cognito-navigate for sign-up and reset, with the typed username", async () => {
    const login = await signedOutLogin();
    const seen: Array<{ to: string; username?: string }> = [];
    const cancelable: boolean[] = [];
    login.addEventListener("cognito-navigate", (event) => {
      cancelable.push(event.cancelable);
      seen.push(event.detail);
    });
    fill(login, { username: "alice" });
    for (const button of login.querySelectorAll<HTMLButtonElement>("button.link")) button.click();
    equal(JSON.stringify(seen), JSON.stringify([{ to: "sign-up", username: "alice" }, { to: "reset-password", username: "alice" }]));
    equal(cancelable.join(), "true,true", "every cognito-navigate is cancelable");

    // With an href: cancelling the event keeps the page where it is; otherwise the link is followed.
    const linked = mount("cognito-login", { "signup-href": "#went-to-sign-up" });
    await waitFor(() => linked.querySelector("a.link"), "the sign-up link");
    const start = location.href;
    try {
      const cancel = (event: Event) => event.preventDefault();
      linked.addEventListener("cognito-navigate", cancel);
      linked.querySelector<HTMLAnchorElement>("a.link")!.click();
      equal(location.hash, "", "a cancelled navigate is not followed");
      linked.removeEventListener("cognito-navigate", cancel);
      linked.querySelector<HTMLAnchorElement>("a.link")!.click();
      equal(location.hash, "#went-to-sign-up", "an uncancelled one is");
    } finally {
      history.replaceState(history.state, "", start);
    }
  });

  it("takes username-attribute from <cognito-config>: an email field, checked before any request", async () => {
    unmountAll();
    configurePool(pool, { usernameAttribute: "email" });
    const login = await signedOutLogin();
    const username = input(login, "username");
    equal(username.type, "email");
    equal(login.querySelector(`label[for="${username.id}"]`)?.textContent?.trim(), en.fields.email);
    const requests = countRequests();
    try {
      fill(login, { username: "not-an-email", password: PASSWORD });
      submitButton(login).click();
      equal(await settled(login), "error");
      equal(fieldError(login, "username"), en.validation.email);
      equal(requests.targets.length, 0);
    } finally {
      requests.restore();
    }
  });

  it("in a pool that signs in by email, says who is signed in by email and puts it in detail.loginId", async () => {
    const emailPool = await server.createPool({ usernameAttributes: ["email"] });
    configurePool(emailPool, { usernameAttribute: "email" });
    const email = `${uniqueName("mail")}@example.com`;
    const user = await server.createUser(emailPool, { username: email, attributes: { email } });
    const login = await signedOutLogin();
    const events: Array<{ username: string; loginId: string }> = [];
    login.addEventListener("cognito-signed-in", (event) => events.push(event.detail));
    fill(login, { username: email, password: user.password });
    submitButton(login).click();
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in");
    equal(events[0]?.loginId, email);
    ok(login.textContent?.includes(en.login.signedInAs(email)), "shows the email, not an id");
  });
});
