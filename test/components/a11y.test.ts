/**
 * Accessibility: axe-core audits every main state of every element in Chromium, in the light and
 * the dark scheme, and expects zero violations (WCAG 2.x A/AA and axe's best practices). The
 * elements sit in a <main> under an <h1>, as on a real page, so page-structure rules apply too.
 */
import axe from "axe-core";
import { emulateMedia } from "@web/test-runner-commands";
import { authStore, en } from "../../components/index.ts";
import {
  after, afterEach, before, describe, equal, errorText, fill, freshPool, input, it, mount, ok, PASSWORD, server, settled, submitButton, uniqueName,
  unmountAll, waitFor, type Pool,
} from "./support.ts";

let main: HTMLElement;

/** Mounts `tag` inside the page's <main>. */
function place<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const element = mount(tag, attributes);
  main.append(element.parentElement!);
  return element;
}

/** Runs axe over <main>; fails listing every violation with the offending nodes. */
async function audit(state: string): Promise<void> {
  const result = await axe.run(main, { resultTypes: ["violations"] });
  const found = result.violations.map(
    (violation) => `${violation.id} (${violation.impact}): ${violation.help}\n    ${violation.nodes.map((node) => `${node.target.join(" ")} — ${node.failureSummary?.replaceAll("\n", " ")}`).join("\n    ")}`,
  );
  equal(found.join("\n"), "", `axe violations in ${state}`);
}

async function auditBothSchemes(state: string): Promise<void> {
  await audit(`${state} (light)`);
  await emulateMedia({ colorScheme: "dark" });
  try {
    await audit(`${state} (dark)`);
  } finally {
    await emulateMedia({ colorScheme: "light" });
  }
}

const form = (element: Element) => waitFor(() => element.querySelector("form"), `<${element.localName}>'s form`);

describe("accessibility (axe-core)", () => {
  let pool: Pool;
  before(async () => {
    main = document.createElement("main");
    main.innerHTML = "<h1>cognito-elements</h1>";
    document.body.append(main);
    document.documentElement.lang = "en";
    document.title = "cognito-elements accessibility";
  });
  after(() => main.remove());
  const fresh = async () => {
    pool = await freshPool();
  };
  afterEach(unmountAll);

  it("<cognito-login>: form, error shown, confirm-code step, new-password step, signed in", async () => {
    await fresh();
    const user = await server.createUser(pool);
    const temporary = await server.createUser(pool, { temporary: true });
    const unconfirmed = uniqueName("unconfirmed");
    await server.call("SignUp", { ClientId: pool.clientId, Username: unconfirmed, Password: PASSWORD });

    const login = place("cognito-login");
    await form(login);
    await auditBothSchemes("login form");

    fill(login, { username: user.username, password: "Wrong-passw0rd!" });
    submitButton(login).click();
    equal(await settled(login), "error");
    await auditBothSchemes("login error");

    fill(login, { username: unconfirmed, password: PASSWORD });
    submitButton(login).click();
    await waitFor(() => login.querySelector('input[name="code"]'), "the confirm step");
    await auditBothSchemes("login confirm-code step");
    fill(login, { code: "000000" });
    submitButton(login).click();
    equal(await settled(login), "error");
    await audit("login confirm-code step with a wrong code");
    unmountAll();

    const again = place("cognito-login");
    await form(again);
    fill(again, { username: temporary.username, password: temporary.password });
    submitButton(again).click();
    await waitFor(() => again.querySelector('input[name="new-password"]'), "the new-password step");
    await auditBothSchemes("login new-password step");
    fill(again, { "new-password": "N3w-Passw0rd!" });
    submitButton(again).click();
    await waitFor(() => again.getAttribute("auth-state") === "signed-in", "signed in");
    await auditBothSchemes("login signed in");
    await authStore.client?.signOut();
  });

  it("<cognito-signup>: form, password rules with an error, confirm step, done", async () => {
    await fresh();
    const signup = place("cognito-signup", { fields: "email name", "required-fields": "email" });
    await form(signup);
    await auditBothSchemes("signup form");
    submitButton(signup).click();
    equal(await settled(signup), "error");
    await auditBothSchemes("signup with an error under each required field");
    const username = uniqueName("new");
    fill(signup, { username, email: "not-an-email", password: "short" });
    submitButton(signup).click();
    equal(await settled(signup), "error");
    ok(signup.querySelector(".rules li.met") && signup.querySelector(".rules li.unmet"), "some rules met, some not");
    signup.querySelector<HTMLButtonElement>("button.reveal")!.click();
    await waitFor(() => input(signup, "password").type === "text", "the password shown");
    await auditBothSchemes("signup format and rules errors, password shown");
    fill(signup, { email: `${username}@example.com` });
    fill(signup, { password: PASSWORD });
    submitButton(signup).click();
    await waitFor(() => signup.querySelector('input[name="code"]'), "the confirm step");
    await auditBothSchemes("signup confirm step");
    signup.querySelector<HTMLButtonElement>("button.resend")!.click();
    await waitFor(() => /\d+ s/.test(signup.querySelector("button.resend")?.textContent ?? "") || errorText(signup) !== "", "the resend answered");
    await auditBothSchemes("signup confirm step after a resend");
    fill(signup, { code: "123456" });
    submitButton(signup).click();
    await waitFor(() => signup.textContent?.includes(en.signup.confirmed), "done");
    await auditBothSchemes("signup done");
  });

  it("<cognito-reset-password>: request step, code step with an error, done", async () => {
    await fresh();
    const user = await server.createUser(pool);
    const reset = place("cognito-reset-password");
    await form(reset);
    await auditBothSchemes("reset request step");
    fill(reset, { username: user.username });
    submitButton(reset).click();
    await waitFor(() => reset.querySelector('input[name="code"]'), "the code step");
    await auditBothSchemes("reset code step");
    fill(reset, { code: "", "new-password": "weak" });
    submitButton(reset).click();
    equal(await settled(reset), "error");
    await auditBothSchemes("reset code step with an error under each field");
    reset.querySelector<HTMLButtonElement>("button.reveal")!.click();
    await waitFor(() => input(reset, "new-password").type === "text", "the password shown");
    await auditBothSchemes("reset code step, password shown");
    fill(reset, { code: "123456", "new-password": "Brand-N3w-pass" });
    submitButton(reset).click();
    await waitFor(() => reset.textContent?.includes(en.reset.done), "done");
    await auditBothSchemes("reset done");
  });

  it("<cognito-profile>, <cognito-sign-out> and <cognito-auth-gate>: signed in, delete confirmation, gate content and forbidden", async () => {
    await fresh();
    const user = await server.createUser(pool, { attributes: { name: "Pat Example" } });
    const gate = place("cognito-auth-gate");
    gate.innerHTML = "<p>Protected content</p>";
    await waitFor(() => gate.querySelector("cognito-login form"), "the gate's default login");
    await auditBothSchemes("gate signed out (login slot)");

    await authStore.client!.signIn(user.username, user.password);
    await waitFor(() => gate.getAttribute("auth-state") === "signed-in", "the gate open");
    const signOut = place("cognito-sign-out");
    const forbidden = place("cognito-auth-gate", { group: "admin" });
    const profile = place("cognito-profile");
    await waitFor(() => profile.querySelector<HTMLInputElement>('input[name="name"]')?.value, "the profile's attributes");
    await waitFor(() => signOut.querySelector("button"), "the sign-out button");
    await waitFor(() => forbidden.shadowRoot?.querySelector('[part="forbidden"]'), "the forbidden message");
    await auditBothSchemes("signed in: profile, sign-out, gate content, gate forbidden");

    const deleteButton = [...profile.querySelectorAll("button")].find((button) => button.textContent?.trim() === en.profile.deleteButton)!;
    deleteButton.click();
    await waitFor(() => profile.textContent?.includes(en.profile.deleteWarning), "the delete confirmation");
    await audit("profile delete confirmation");
    await authStore.client?.signOut();
  });

  it("a configuration error in place of every element", async () => {
    localStorage.clear();
    const config = place("cognito-config", { "client-id": "abc123" });
    const elements = [place("cognito-login"), place("cognito-signup"), place("cognito-reset-password"), place("cognito-profile")];
    for (const element of elements) await waitFor(() => element.getAttribute("auth-state") === "config-error", `<${element.localName}> config error`);
    await auditBothSchemes("config error");
    config.remove();
  });
});
