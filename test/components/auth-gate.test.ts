/**
 * <cognito-auth-gate>: signed-out slot (default login), groups from the access token, redirect,
 * and no flash of protected content while the session is being read.
 */
import { en } from "../../components/index.ts";
import {
  afterEach, beforeEach, configurePool, describe, equal, fill, it, mount, ok, openFrame, server, submitButton, unmountAll,
  waitFor, type Pool,
} from "./support.ts";

function gateWith(attributes: Record<string, string> = {}): { gate: HTMLElementTagNameMap["cognito-auth-gate"]; secret: HTMLElement } {
  const gate = mount("cognito-auth-gate", attributes);
  const secret = document.createElement("p");
  secret.textContent = "protected content";
  gate.append(secret);
  return { gate, secret };
}

describe("<cognito-auth-gate>", () => {
  let pool: Pool;
  beforeEach(async () => {
    pool = await server.createPool();
    localStorage.clear();
  });
  afterEach(unmountAll);

  it("shows a login to signed-out users; signing in through it reveals the content, never before", async () => {
    const user = await server.createUser(pool);
    configurePool(pool);
    const { gate, secret } = gateWith();
    let shownEarly = false;
    let watching = true;
    const watch = () => {
      if (!watching) return;
      if (secret.checkVisibility() && gate.getAttribute("auth-state") !== "signed-in") shownEarly = true;
      requestAnimationFrame(watch);
    };
    watch();
    const login = await waitFor(() => gate.querySelector<HTMLElement>('cognito-login[slot="signed-out"]'), "the default login");
    await waitFor(() => login.querySelector("form") && login.checkVisibility(), "the login form, visible");
    ok(!secret.checkVisibility(), "content hidden while signed out");
    fill(login, { username: user.username, password: user.password });
    submitButton(login).click();
    await waitFor(() => secret.checkVisibility(), "the protected content");
    watching = false;
    ok(!login.checkVisibility(), "the login is hidden once signed in");
    equal(shownEarly, false);
  });

  it("its built-in login switches to sign-up in place, with no configuration", async () => {
    configurePool(pool);
    const { gate } = gateWith();
    const login = await waitFor(() => gate.querySelector<HTMLElement>('cognito-login[slot="signed-out"]'), "the default login");
    await waitFor(() => login.querySelector("form"), "its form");
    login.querySelector<HTMLButtonElement>(".links button.link")!.click();
    await waitFor(() => login.querySelector("cognito-signup form")?.checkVisibility(), "the sign-up form, visible inside the gate");
  });

  it("uses the page's own signed-out slot when given", async () => {
    configurePool(pool);
    const { gate } = gateWith();
    const own = document.createElement("a");
    own.slot = "signed-out";
    own.textContent = "Sign in, please";
    gate.append(own);
    await waitFor(() => gate.getAttribute("auth-state") === "signed-out" && own.checkVisibility(), "the page's signed-out content");
    equal(gate.querySelectorAll("cognito-login").length, 0);
  });

  it("shows group content only to members of the group (AdminAddUserToGroup)", async () => {
    const outsider = await server.createUser(pool, { groups: ["admins"] });
    const member = await server.createUser(pool, { groups: ["admin"] });
    const client = configurePool(pool);
    const { gate, secret } = gateWith({ group: "admin" });
    await client.signIn(outsider.username, outsider.password);
    await waitFor(() => gate.getAttribute("auth-state") === "signed-in" && gate.shadowRoot?.querySelector('slot[name="forbidden"]'), "the forbidden view");
    ok(!secret.checkVisibility(), "a look-alike group (admins) does not open an admin gate");
    ok(gate.shadowRoot!.textContent?.includes(en.gate.forbidden));
    await client.signOut();
    await client.signIn(member.username, member.password);
    await waitFor(() => secret.checkVisibility(), "the content for a member");
  });

  it("navigates signed-out users to redirect", async () => {
    const frame = await openFrame(pool, { "gate-redirect": "/test/.build/frame.html?landed=yes" });
    await waitFor(() => frame.contentWindow?.location.search.includes("landed=yes"), "the redirect");
  });
});
