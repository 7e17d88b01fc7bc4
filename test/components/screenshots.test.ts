/**
 * Saves screenshots of each element's main states under test/screenshots/ (git-ignored), light
 * and dark, taken by headless Chromium through the runner's page.
 */
import { emulateMedia, executeServerCommand, setViewport } from "@web/test-runner-commands";
import { configure } from "../../components/index.ts";
import pico from "@picocss/pico/css/pico.classless.min.css";
import {
  after, configurePool, describe, fill, it, mount, ok, PASSWORD, server, settled, submitButton, uniqueName, unmountAll, waitFor,
  type Pool,
} from "./support.ts";

async function shot(name: string, element: Element): Promise<void> {
  // Let layout settle after the last render before capturing.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const path = await server.screenshot(name, element);
  ok(path.endsWith(".png"), `saved ${name}`);
}

describe("screenshots", () => {
  let pool: Pool;
  after(async () => {
    await emulateMedia({ colorScheme: "light" });
    unmountAll();
  });

  it("captures every element's main states", async () => {
    pool = await server.createPool();
    localStorage.clear();
    const client = configurePool(pool);
    document.body.style.margin = "16px";

    for (const scheme of ["light", "dark"] as const) {
      await emulateMedia({ colorScheme: scheme });
      document.body.style.background = scheme === "dark" ? "#0d1117" : "#ffffff";
      const login = mount("cognito-login");
      await waitFor(() => login.querySelector("form"), "the login form");
      await shot(`login-${scheme}`, login);
      fill(login, { username: "nobody", password: "Wrong-passw0rd!" });
      submitButton(login).click();
      await settled(login);
      await shot(`login-error-${scheme}`, login);
      unmountAll();

      const signup = mount("cognito-signup", { fields: "email name" });
      await waitFor(() => signup.querySelector("form"), "the signup form");
      fill(signup, { password: "abc1" });
      await shot(`signup-rules-${scheme}`, signup);
      unmountAll();
    }
    await emulateMedia({ colorScheme: "light" });
    document.body.style.background = "#ffffff";

    const signup = mount("cognito-signup");
    await waitFor(() => signup.querySelector("form"), "the signup form");
    const username = uniqueName("shot");
    fill(signup, { username, email: `${username}@example.com`, password: PASSWORD });
    submitButton(signup).click();
    await waitFor(() => signup.querySelector('input[name="code"]'), "the confirm step");
    await shot("signup-confirm", signup);
    unmountAll();

    const temporary = await server.createUser(pool, { temporary: true });
    const login = mount("cognito-login");
    await waitFor(() => login.querySelector("form"), "the login form");
    fill(login, { username: temporary.username, password: temporary.password });
    submitButton(login).click();
    await waitFor(() => login.querySelector('input[name="new-password"]'), "the new-password step");
    await shot("login-new-password", login);
    fill(login, { "new-password": "N3w-Passw0rd!" });
    submitButton(login).click();
    await waitFor(() => login.getAttribute("auth-state") === "signed-in", "signed in");
    const signOut = mount("cognito-sign-out");
    await waitFor(() => signOut.querySelector("button"), "the sign-out button");
    await shot("login-signed-in", login);
    await shot("sign-out", signOut);
    const profile = mount("cognito-profile");
    await waitFor(() => profile.querySelector<HTMLInputElement>('input[name="email"]')?.value, "the profile values");
    await shot("profile", profile);
    const gate = mount("cognito-auth-gate", { group: "admin" });
    await waitFor(() => gate.shadowRoot?.querySelector('slot[name="forbidden"]'), "the forbidden view");
    await shot("auth-gate-forbidden", gate);
    await client.signOut();
    unmountAll();

    const signedOutGate = mount("cognito-auth-gate");
    await waitFor(() => signedOutGate.querySelector("cognito-login form"), "the gate's default login");
    await shot("auth-gate-signed-out", signedOutGate);
    unmountAll();

    const reset = mount("cognito-reset-password", { prefill: temporary.username });
    await waitFor(() => reset.querySelector("form"), "the reset form");
    await shot("reset-password-request", reset);
    submitButton(reset).click();
    await waitFor(() => reset.querySelector('input[name="code"]'), "the reset code step");
    fill(reset, { "new-password": "Abc" });
    await shot("reset-password-code", reset);
    unmountAll();

    const config = mount("cognito-config", { "pool-id": "eu-west-1_AbC123" });
    const broken = mount("cognito-login");
    await waitFor(() => broken.getAttribute("auth-state") === "config-error", "the config error");
    await shot("login-config-error", broken);
    config.remove();
  });

  // The states issue 14 added, light and dark, at desktop and phone width. docs/images.ts copies
  // the `doc-*` ones into docs/images/ for the README.
  it("captures field errors, the shown password, the code step and authenticator setup at desktop and phone width, on a page styled by Pico CSS", async () => {
    // A page with a popular classless stylesheet, as many are: the cards must keep their shape.
    const hostSheet = document.createElement("style");
    hostSheet.textContent = pico;
    document.head.append(hostSheet);
    pool = await server.createPool();
    localStorage.clear();
    const client = configurePool(pool);
    document.body.style.margin = "16px";
    for (const [width, height, size] of [[1024, 800, "desktop"], [375, 740, "phone"]] as const) {
      await setViewport({ width, height });
      for (const scheme of ["light", "dark"] as const) {
        await emulateMedia({ colorScheme: scheme });
        document.body.style.background = scheme === "dark" ? "#0d1117" : "#ffffff";
        const suffix = `${size}-${scheme}`;

        const login = mount("cognito-login");
        await waitFor(() => login.querySelector("form"), "the login form");
        await shot(`doc-sign-in-${suffix}`, login);
        unmountAll();

        const signup = mount("cognito-signup", { fields: "email name" });
        await waitFor(() => signup.querySelector("form"), "the signup form");
        fill(signup, { username: "", email: "notanemail", password: "abc1" });
        submitButton(signup).click();
        await settled(signup);
        signup.querySelector<HTMLButtonElement>("button.reveal")!.click();
        await waitFor(() => signup.querySelector<HTMLInputElement>('input[name="password"]')!.type === "text", "the password shown");
        await shot(`doc-sign-up-errors-${suffix}`, signup);
        unmountAll();

        const confirm = mount("cognito-signup");
        await waitFor(() => confirm.querySelector("form"), "the signup form");
        const username = uniqueName("shot");
        fill(confirm, { username, email: `${username}@example.com`, password: PASSWORD });
        submitButton(confirm).click();
        await waitFor(() => confirm.querySelector('input[name="code"]'), "the confirm step");
        fill(confirm, { code: "000000" });
        submitButton(confirm).click();
        await settled(confirm);
        await shot(`doc-confirm-${suffix}`, confirm);
        unmountAll();

        const user = await server.createUser(pool);
        await client.signIn(user.username, user.password);
        const profile = mount("cognito-profile", { "totp-issuer": "Example" });
        await waitFor(() => profile.querySelector<HTMLInputElement>('input[name="email"]')?.value, "the profile values");
        await shot(`doc-profile-${suffix}`, profile);
        [...profile.querySelectorAll("button")].find((button) => button.textContent?.includes("authenticator"))!.click();
        await waitFor(() => profile.querySelector("svg.qr"), "the QR code");
        await shot(`doc-totp-${suffix}`, profile.querySelectorAll("form")[2] ?? profile);
        await client.signOut();
        unmountAll();
      }
    }
    await setViewport({ width: 800, height: 600 });
    await emulateMedia({ colorScheme: "light" });
    document.body.style.background = "#ffffff";
    hostSheet.remove();
  });

  // Choice-based sign-in (issue 15) against the USER_AUTH stand-in (server/passwordless-stand-in.ts):
  // the username step, Cognito's choices, and the code step.
  it("stand-in: captures the choice-based sign-in, light and dark", async () => {
    const created = await server.createPool();
    const { endpoint } = await executeServerCommand<{ endpoint: string }, unknown>("passwordless:start", { poolId: created.poolId });
    localStorage.clear();
    configure({ poolId: created.poolId, clientId: created.clientId, endpoint, authFlow: "USER_AUTH" });
    const user = await server.createUser(created, { attributes: { email: "user@example.com", phone_number: "+15555550142" } });
    document.body.style.margin = "16px";
    for (const scheme of ["light", "dark"] as const) {
      await emulateMedia({ colorScheme: scheme });
      document.body.style.background = scheme === "dark" ? "#0d1117" : "#ffffff";
      const login = mount("cognito-login");
      await waitFor(() => login.querySelector("form"), "the username step");
      await shot(`choice-username-${scheme}`, login);
      fill(login, { username: user.username });
      submitButton(login).click();
      await waitFor(() => login.querySelectorAll("button.secondary").length > 1, "the choices");
      await shot(`choice-factors-${scheme}`, login);
      const email = [...login.querySelectorAll<HTMLButtonElement>("button.secondary")].find((button) => /mail/i.test(button.textContent ?? ""));
      email?.click();
      await waitFor(() => login.querySelector('input[name="code"]'), "the code step");
      await shot(`choice-code-${scheme}`, login);
      unmountAll();
      localStorage.clear();
    }
    await emulateMedia({ colorScheme: "light" });
    document.body.style.background = "#ffffff";
  });
});
