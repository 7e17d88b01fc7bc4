/**
 * Saves screenshots of each element's main states under test/screenshots/ (git-ignored), light
 * and dark, taken by headless Chromium through the runner's page.
 */
import { emulateMedia, executeServerCommand, setViewport } from "@web/test-runner-commands";
import { en } from "../../components/index.ts";
import pico from "@picocss/pico/css/pico.classless.min.css";
import { addPasskeyInProfile, openPasskeyPage, passwordlessPool, signInWithPassword } from "./passkey-tab.ts";
import {
  after, button, CODE, configurePool, describe, errorText, fill, heading, it, mount, ok, PASSWORD, server, settled, submitButton, uniqueName, unmountAll,
  waitFor, type Pool,
} from "./support.ts";

async function shot(name: string, element: Element): Promise<void> {
  // Let layout settle after the last render before capturing.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const path = await server.screenshot(name, element);
  ok(path.endsWith(".png"), `saved ${name}`);
}

/** Styles the page with a popular classless stylesheet, as many are; answers how to take it off. */
function styleWithPico(): () => void {
  const sheet = document.createElement("style");
  sheet.textContent = pico;
  document.head.append(sheet);
  return () => sheet.remove();
}

/** The desktop and phone viewports the README's shots are taken at. */
const SIZES = [[1024, 800, "desktop"], [375, 740, "phone"]] as const;
const SCHEMES = ["light", "dark"] as const;

async function useScheme(scheme: (typeof SCHEMES)[number]): Promise<void> {
  await emulateMedia({ colorScheme: scheme });
  document.body.style.background = scheme === "dark" ? "#0d1117" : "#ffffff";
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
    // Nothing left above the next test's shots (their clip reaches 8 px past the element).
    unmountAll();
  });

  // The states issue 14 added, light and dark, at desktop and phone width. docs/images.ts copies
  // the `doc-*` ones into docs/images/ for the README.
  it("captures field errors, the shown password, the code step and authenticator setup at desktop and phone width, on a page styled by Pico CSS", async () => {
    // A page with a popular classless stylesheet, as many are: the cards must keep their shape.
    const removePico = styleWithPico();
    pool = await server.createPool();
    localStorage.clear();
    const client = configurePool(pool);
    document.body.style.margin = "16px";
    for (const [width, height, size] of SIZES) {
      await setViewport({ width, height });
      for (const scheme of SCHEMES) {
        await useScheme(scheme);
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
    await useScheme("light");
    removePico();
  });

  // Choice-based sign-in, passwordless sign-up and the profile's passkeys (issue 15), for the README,
  // against the USER_AUTH stand-in that server/plugin.ts starts, on the Pico CSS page.
  it("stand-in: captures Cognito's choices, the code step, a failed passkey, the sign-up's passkey offer and the profile's passkeys at desktop and phone width, on a page styled by Pico CSS", async () => {
    const removePico = styleWithPico();
    const pool = await passwordlessPool();
    const user = await server.createUser(pool, { attributes: { email: "user@example.com", phone_number: "+15555550142" } });
    // A real passkey, made by the virtual authenticator in the http://localhost tab: WebAuthn
    // refuses this page's IP-address origin, so the ceremony cannot run here.
    await openPasskeyPage(pool);
    try {
      await signInWithPassword(user);
      ok((await addPasskeyInProfile()) === 1, "one passkey added");
    } finally {
      await executeServerCommand("passkeyPage:close");
    }
    localStorage.clear();
    const client = configurePool(pool, { authFlow: "USER_AUTH" });
    document.body.style.margin = "16px";
    try {
      for (const [width, height, size] of SIZES) {
        await setViewport({ width, height });
        for (const scheme of SCHEMES) {
          await useScheme(scheme);
          const suffix = `${size}-${scheme}`;

          // Without `factors`, the username, then the factors Cognito offers (SELECT_CHALLENGE).
          const login = mount("cognito-login");
          await waitFor(() => login.getAttribute("auth-state") === "signed-out" && login.querySelector('input[name="username"]'), "the username step");
          await shot(`choice-username-${suffix}`, login);
          fill(login, { username: user.username });
          submitButton(login).click();
          await waitFor(() => heading(login) === en.login.chooseTitle, "the choices");
          await shot(`doc-sign-in-choices-${suffix}`, login);
          button(login, en.login.factor("email-otp")).click();
          await waitFor(() => login.querySelector('input[name="code"]'), "the code step");
          await shot(`doc-sign-in-code-${suffix}`, login);
          unmountAll();

          // The passkey first. This page's IP-address origin refuses WebAuthn: the prompt fails as a
          // cancelled one would, every time.
          const passkeyLogin = mount("cognito-login", { factors: "passkey email-otp sms-otp password" });
          await waitFor(() => passkeyLogin.getAttribute("auth-state") === "signed-out" && passkeyLogin.querySelector('input[name="username"]'), "the username step");
          fill(passkeyLogin, { username: user.username });
          submitButton(passkeyLogin).click();
          await waitFor(() => errorText(passkeyLogin) === en.login.passkeyFailed, "the failed passkey");
          await waitFor(() => !button(passkeyLogin, en.login.retry).disabled, "Try again enabled");
          await shot(`doc-sign-in-passkey-failed-${suffix}`, passkeyLogin);
          unmountAll();

          await client.startSignIn(user.username);
          await client.answerWithPassword(user.password);
          const profile = mount("cognito-profile");
          const panel = await waitFor(() => profile.querySelector(".passkeys li") && profile.querySelector(".passkeys"), "the listed passkey");
          await shot(`doc-profile-passkeys-${suffix}`, panel);
          await client.signOut();
          unmountAll();

          const signup = mount("cognito-signup", { passwordless: "", "passkey-prompt": "" });
          await waitFor(() => signup.querySelector('input[name="email"]'), "the passwordless sign-up");
          await shot(`choice-sign-up-${suffix}`, signup);
          const username = uniqueName("offer");
          fill(signup, { username, email: `${username}@example.com` });
          submitButton(signup).click();
          await waitFor(() => signup.querySelector('input[name="code"]'), "the confirm step");
          fill(signup, { code: CODE });
          submitButton(signup).click();
          await waitFor(() => heading(signup) === en.passkeys.add, "the passkey offer");
          await shot(`doc-sign-up-passkey-offer-${suffix}`, signup);
          await client.signOut();
          unmountAll();
        }
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
      await useScheme("light");
      removePico();
    }
  });
});
