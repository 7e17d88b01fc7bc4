/**
 * Multi-factor sign-in (issue 7) against a real cognito-local with the pool's MFA OPTIONAL: TOTP
 * set up in <cognito-profile> with codes this test computes from the issued secret (RFC 6238, Web
 * Crypto), then every MFA step of <cognito-login>. SMS MFA users get their MFAOptions the only way
 * cognito-local allows (pool file + restart, server/sms-mfa.ts). MFA_SETUP at sign-in comes from a
 * stand-in (cognito-local never issues it).
 */
import jsQR from "jsqr";
import { authStore, en } from "../../components/index.ts";
import { otpauthUri } from "../../components/elements/totp-setup.ts";
import {
  afterEach, button, beforeEach, describe, equal, errorText, fill, freshPool, heading, input, it, mount, ok, server, settled,
  submitButton, unmountAll, waitFor, type Pool, type User,
} from "./support.ts";
import { totp, wrongCode } from "./totp.ts";
import { executeServerCommand } from "@web/test-runner-commands";

type Login = HTMLElementTagNameMap["cognito-login"];
type Profile = HTMLElementTagNameMap["cognito-profile"];


function mfaPool(endpoint?: string): Promise<Pool> {
  return freshPool({ mfa: "OPTIONAL" }, endpoint ? { endpoint } : {});
}

/** Turns TOTP on through the profile, as a user would; returns the secret the page showed. */
async function setUpTotpInProfile(profile: Profile): Promise<string> {
  await waitFor(() => profile.querySelector(".mfa")?.textContent?.trim() === en.mfa.off, "MFA shown as off");
  button(profile, en.mfa.setup).click();
  const secret = await waitFor(() => profile.querySelector(".secret")?.textContent?.replace(/\s+/g, ""), "the setup key");
  const code = input(profile, "totp-code");
  equal(code.autocomplete, "one-time-code");
  equal(code.inputMode, "numeric");
  fill(profile, { "totp-code": await totp(secret) });
  code.form!.requestSubmit();
  await waitFor(() => profile.textContent?.includes(en.mfa.enabled), "TOTP enabled");
  await waitFor(() => profile.querySelector(".mfa")?.textContent?.includes(en.login.mfaOption("SOFTWARE_TOKEN_MFA")), "MFA shown as on");
  return secret;
}

/** Signs in with the password and TOTP set up through the public client (no UI). */
async function userWithTotp(pool: Pool, attributes: Record<string, string> = {}): Promise<{ user: User; secret: string }> {
  const user = await server.createUser(pool, { attributes });
  const client = authStore.client!;
  equal((await client.signIn(user.username, user.password)).kind, "signed-in");
  const { secret } = await client.associateTotp();
  await client.enableTotp(await totp(secret));
  await client.signOut();
  return { user, secret };
}

async function signInForm(user: User): Promise<Login> {
  const login = mount("cognito-login");
  await waitFor(() => login.getAttribute("auth-state") === "signed-out" && login.querySelector("form"), "the sign-in form");
  fill(login, { username: user.username, password: user.password });
  submitButton(login).click();
  return login;
}

async function codeStep(login: Login, hint: string): Promise<HTMLInputElement> {
  await waitFor(() => heading(login) === en.login.mfaTitle && login.textContent?.includes(hint), `the code step (${hint})`);
  const code = input(login, "code");
  equal(code.autocomplete, "one-time-code");
  equal(code.inputMode, "numeric");
  return code;
}

async function submitCode(login: Login, code: string): Promise<void> {
  fill(login, { code });
  submitButton(login).click();
}

async function signedIn(login: Login, user: User): Promise<void> {
  await waitFor(() => authStore.snapshot.status === "signed-in" && login.textContent?.includes(en.login.signedInAs(user.username)), "signed in");
}

/** Reads the QR code back the way a phone would: the SVG drawn to a canvas, then decoded (jsQR). */
async function decodeQr(svg: SVGSVGElement): Promise<string | undefined> {
  const source = new XMLSerializer().serializeToString(svg);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 400;
  const context = canvas.getContext("2d")!;
  context.drawImage(image, 0, 0, 400, 400);
  const pixels = context.getImageData(0, 0, 400, 400);
  return jsQR(pixels.data, 400, 400)?.data;
}

describe("TOTP helper (RFC 6238)", () => {
  it("matches the RFC's SHA-1 test vector at T = 59 s", async () => {
    // RFC 6238 Appendix B: secret "12345678901234567890", T = 59 → 94287082 (8 digits; 6 → 287082).
    equal(await totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59_000), "287082");
  });
});

describe("multi-factor sign-in", () => {
  let pool: Pool;
  beforeEach(async () => {
    pool = await mfaPool();
  });
  afterEach(unmountAll);

  it("sets up TOTP in the profile; after sign-out, sign-in needs the current code", async () => {
    const user = await server.createUser(pool);
    await authStore.client!.signIn(user.username, user.password);
    const profile = mount("cognito-profile");
    const updates: unknown[] = [];
    profile.addEventListener("cognito-profile-updated", (event) => updates.push(event.detail.changed));
    const secret = await setUpTotpInProfile(profile);
    const stored = await server.getUser(pool, user.username);
    equal(JSON.stringify(stored?.UserMFASettingList), JSON.stringify(["SOFTWARE_TOKEN_MFA"]));
    equal(stored?.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");
    equal(JSON.stringify(updates), JSON.stringify([["mfa"]]));
    ok(!profile.querySelector(".secret"), "the key is gone once set up");

    button(profile, en.signOut.button).click();
    await waitFor(() => authStore.snapshot.status === "signed-out", "signed out");
    const login = await signInForm(user);
    await codeStep(login, en.login.totpHint);
    equal(authStore.snapshot.status, "signed-out", "the password alone does not sign in");
    await submitCode(login, await totp(secret));
    await signedIn(login, user);
  });

  it("shows a clear message for a wrong TOTP code, then accepts the right one", async () => {
    const { user, secret } = await userWithTotp(pool);
    const login = await signInForm(user);
    await codeStep(login, en.login.totpHint);
    await submitCode(login, await wrongCode(secret));
    equal(await settled(login), "error");
    equal(errorText(login), en.errors.code_mismatch);
    equal(input(login, "code").getAttribute("aria-invalid"), "true");
    equal(authStore.snapshot.status, "signed-out");
    await submitCode(login, await totp(secret));
    await signedIn(login, user);
  });

  it("SMS MFA: shows where the code went, and the code signs in", async () => {
    const user = await server.createUser(pool, { attributes: { phone_number: "+15555550123", phone_number_verified: "true" } });
    await executeServerCommand("cognito:smsMfa", { poolId: pool.poolId, usernames: [user.username] });
    const login = await signInForm(user);
    // cognito-local sends the number unmasked; real Cognito masks it (+*******0123): shown as given.
    const code = await codeStep(login, en.login.mfaHint("+15555550123"));
    await submitCode(login, "000000");
    equal(await settled(login), "error");
    equal(errorText(login), en.errors.code_mismatch);
    equal(code.isConnected, true, "still on the code step");
    await submitCode(login, "123456");
    await signedIn(login, user);
  });

  for (const choice of ["SOFTWARE_TOKEN_MFA", "SMS_MFA"] as const) {
    it(`a user with both methods chooses one: ${choice}`, async () => {
      const { user, secret } = await userWithTotp(pool, { phone_number: "+15555550188", phone_number_verified: "true" });
      await executeServerCommand("cognito:smsMfa", { poolId: pool.poolId, usernames: [user.username] });
      const login = await signInForm(user);
      await waitFor(() => heading(login) === en.login.selectMfaTitle, "the method choice");
      const offered = [...login.querySelectorAll("form button")].map((b) => b.textContent?.trim());
      equal(JSON.stringify(offered), JSON.stringify([en.login.mfaOption("SOFTWARE_TOKEN_MFA"), en.login.mfaOption("SMS_MFA")]));
      button(login, en.login.mfaOption(choice)).click();
      if (choice === "SMS_MFA") {
        await codeStep(login, en.login.mfaHint("+15555550188"));
        await submitCode(login, "123456");
      } else {
        await codeStep(login, en.login.totpHint);
        await submitCode(login, await totp(secret));
      }
      await signedIn(login, user);
    });
  }

  it("turns MFA off in the profile; the next sign-in needs only the password", async () => {
    const { user, secret } = await userWithTotp(pool);
    const login = await signInForm(user);
    await codeStep(login, en.login.totpHint);
    await submitCode(login, await totp(secret));
    await signedIn(login, user);
    const profile = mount("cognito-profile");
    await waitFor(() => profile.querySelector(".mfa")?.textContent?.trim() === `${en.mfa.on}: ${en.login.mfaOption("SOFTWARE_TOKEN_MFA")}`, "MFA shown as on");
    ok(!profile.textContent?.includes(en.mfa.setup), "no second setup offered");
    button(profile, en.mfa.turnOff).click();
    await waitFor(() => profile.textContent?.includes(en.mfa.turnOffConfirm), "asked to confirm");
    button(profile, en.mfa.turnOffYes).click();
    await waitFor(() => profile.textContent?.includes(en.mfa.disabled), "turned off");
    await waitFor(() => profile.querySelector(".mfa")?.textContent?.trim() === en.mfa.off, "MFA shown as off");
    equal(JSON.stringify((await server.getUser(pool, user.username))?.UserMFASettingList), "[]");
    await authStore.client!.signOut();
    equal((await authStore.client!.signIn(user.username, user.password)).kind, "signed-in");
  });

  it("renders the QR code as SVG that decodes to the otpauth:// URI", async () => {
    const user = await server.createUser(pool);
    await authStore.client!.signIn(user.username, user.password);
    const profile = mount("cognito-profile", { "totp-issuer": "Example App" });
    await waitFor(() => profile.querySelector(".mfa")?.textContent?.trim() === en.mfa.off, "MFA shown as off");
    button(profile, en.mfa.setup).click();
    const svg = await waitFor(() => profile.querySelector<SVGSVGElement>("svg.qr"), "the QR code");
    const secret = profile.querySelector(".secret")!.textContent!.replace(/\s+/g, "");
    equal(svg.getAttribute("role"), "img");
    equal(svg.getAttribute("aria-label"), en.mfa.qrLabel);
    const expected = `otpauth://totp/Example%20App:${encodeURIComponent(`${user.username}@example.com`)}?secret=${secret}&issuer=Example%20App`;
    equal(otpauthUri("Example App", `${user.username}@example.com`, secret), expected);
    equal(await decodeQr(svg), expected);
    equal(profile.querySelector("code.secret")!.textContent, secret.replace(/(.{4})(?=.)/g, "$1 "), "the key grouped by four");
    equal(profile.querySelector<HTMLAnchorElement>(`a[href^="otpauth:"]`)?.getAttribute("href"), expected, "a link that opens it in an authenticator app");
    await executeServerCommand("clipboard:grant");
    button(profile, en.mfa.copy).click();
    await waitFor(() => profile.textContent?.includes(en.mfa.copied), "the Copied status");
    equal(await navigator.clipboard.readText(), secret, "the key, without spaces, on the clipboard");
  });
});

describe("MFA_SETUP at sign-in (stand-in: cognito-local never issues it)", () => {
  afterEach(unmountAll);

  it("stand-in: walks the user through authenticator setup, then signs in", async () => {
    const standIn = await executeServerCommand<{ endpoint: string }, unknown>("mfaSetupStandIn:start");
    const pool = await mfaPool(standIn.endpoint);
    const user = await server.createUser(pool);
    const login = await signInForm(user);
    login.setAttribute("totp-issuer", "Example App");
    await waitFor(() => heading(login) === en.login.mfaSetupTitle && login.querySelector(".secret"), "the setup step with a key");
    const secret = login.querySelector(".secret")!.textContent!.replace(/\s+/g, "");
    const svg = await waitFor(() => login.querySelector<SVGSVGElement>("svg.qr"), "the QR code");
    equal(await decodeQr(svg), otpauthUri("Example App", user.username, secret));
    await submitCode(login, await wrongCode(secret));
    equal(await settled(login), "error");
    equal(errorText(login), en.errors.code_mismatch);
    await submitCode(login, await totp(secret));
    await signedIn(login, user);
    const calls = await executeServerCommand<string[], unknown>("mfaSetupStandIn:calls");
    equal(calls.join(), "InitiateAuth,AssociateSoftwareToken,VerifySoftwareToken,VerifySoftwareToken,RespondToAuthChallenge");
  });
});
