/**
 * Passkeys, end to end: added in <cognito-profile>, used by <cognito-login>, deleted, refused.
 * WebAuthn is real: Chromium's virtual authenticator over the DevTools protocol (ctap2, internal,
 * resident keys, user verification on and off) in a second tab on http://localhost, since
 * WebAuthn refuses the test page's IP-address origin (server/passkey-page.ts). Cognito's side is
 * the stand-in in dev/passwordless-stand-in.ts (cognito-local has no WebAuthn operations), which
 * verifies every registration and assertion signature: every test name says so.
 */
import { executeServerCommand } from "@web/test-runner-commands";
import { en } from "../../components/index.ts";
import {
  addPasskeyInProfile, inPasskeyPage, LABELS, openPasskeyPage, passwordlessPool, signInWithPassword, type Labels, type PageWindow,
} from "./passkey-tab.ts";
import { afterEach, deepEqual, describe, equal, it, ok, server, type Pool, type User } from "./support.ts";

async function signOut(): Promise<void> {
  await inPasskeyPage(async (labels: Labels) => {
    const t = (window as unknown as PageWindow).__pk;
    t.button(document.querySelector("cognito-sign-out")!, labels.signOut)!.click();
    await t.until(() => (window as unknown as PageWindow).cognitoTest.status() === "signed-out", "signed out");
    document.querySelector("cognito-profile")?.remove();
    return true;
  }, LABELS);
}

/** In the tab: the login with `factors`, the username submitted; answers once `done` holds. */
async function startLogin(user: User, factors: string): Promise<void> {
  await inPasskeyPage(
    async ({ username, factors }: { username: string; factors: string }) => {
      const t = (window as unknown as PageWindow).__pk;
      const login = t.login();
      login.setAttribute("factors", factors);
      await t.until(() => login.querySelector('input[name="username"]') && !login.querySelector('input[name="password"]'), "the username step");
      t.fill(login, "username", username);
      t.submit(login);
      return true;
    },
    { username: user.username, factors },
  );
}

const status = () => inPasskeyPage(async () => (window as unknown as PageWindow).__pk.until(() => {
  const now = (window as unknown as PageWindow).cognitoTest.status();
  return now === "signed-in" ? now : "";
}, "signed in"), null);

/** A user of a stand-in pool, signed in with the password in the localhost tab. */
async function signedInUser(): Promise<{ pool: Pool; user: User }> {
  const pool = await passwordlessPool();
  const user = await server.createUser(pool);
  await openPasskeyPage(pool);
  await signInWithPassword(user);
  return { pool, user };
}

/** `user`'s passkey added, signed out, and the sign-in started with the authenticator refusing user verification. */
async function passkeyPromptWithoutVerification(user: User): Promise<void> {
  await addPasskeyInProfile();
  await signOut();
  await executeServerCommand("passkeyPage:userVerified", { value: false });
  await startLogin(user, "passkey email-otp");
}

describe("passkeys (WebAuthn in Chromium's virtual authenticator)", () => {
  afterEach(async () => {
    await executeServerCommand("passkeyPage:close");
  });

  it("stand-in: a passkey added in the profile signs the user in after sign-out, and the gate accepts its token", async () => {
    const { pool, user } = await signedInUser();
    equal(await addPasskeyInProfile(), 1, "the profile lists the new passkey, built into a device");
    const stored = await executeServerCommand<Array<{ resident: boolean; signCount: number }>, unknown>("passkeyPage:credentials");
    deepEqual(stored.map((credential) => credential.resident), [true], "a discoverable credential on the authenticator");
    deepEqual(await executeServerCommand<string[], unknown>("passwordless:passkeys", { sub: user.sub }).then((ids) => ids.length), 1, "registered with Cognito");
    await signOut();
    const before = (await executeServerCommand<string[], unknown>("passwordless:calls")).length;
    await startLogin(user, "passkey email-otp");
    equal(await status(), "signed-in");
    const calls = (await executeServerCommand<string[], unknown>("passwordless:calls")).slice(before);
    deepEqual(calls, ["InitiateAuth:USER_AUTH", "RespondToAuthChallenge:WEB_AUTHN"], "PREFERRED_CHALLENGE WEB_AUTHN, then the signed assertion");
    const after = await executeServerCommand<Array<{ signCount: number }>, unknown>("passkeyPage:credentials");
    ok(after[0]!.signCount > 0, "the authenticator signed");
    const gate = await executeServerCommand<{ gateUrl: string; index: number }, unknown>("gate:start", { poolId: pool.poolId, pageOrigin: `http://localhost:${location.port}` });
    const answered = await inPasskeyPage(async (gateUrl: string) => {
      let token = "";
      for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)!.endsWith(".accessToken")) token = localStorage.getItem(localStorage.key(i)!)!;
      const response = await fetch(`${gateUrl}/api/whoami`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
      return response.status;
    }, gate.gateUrl);
    equal(answered, 200, "the gate accepts the passkey sign-in's access token");
    const seen = await server.originRequests(gate.index);
    equal(seen.at(-1)?.sub, user.sub, "the origin sees the user's sub");
  });

  it("stand-in: with user verification off the ceremony fails with a clear message, and an email code still signs in", async () => {
    const { user } = await signedInUser();
    await passkeyPromptWithoutVerification(user);
    const shown = await inPasskeyPage(async (labels: Labels) => {
      const t = (window as unknown as PageWindow).__pk;
      const login = t.login();
      await t.until(() => login.querySelector('[role="alert"]')?.textContent?.trim(), "the failure message");
      return {
        alert: login.querySelector('[role="alert"]')!.textContent!.trim(),
        retry: Boolean(t.button(login, labels.retry)),
        other: Boolean(t.button(login, labels.emailCode)),
        state: login.getAttribute("auth-state"),
      };
    }, LABELS);
    deepEqual(shown, { alert: en.login.passkeyFailed, retry: true, other: true, state: "signed-out" });
    await inPasskeyPage(async (labels: Labels) => {
      const t = (window as unknown as PageWindow).__pk;
      const login = t.login();
      t.button(login, labels.emailCode)!.click();
      await t.until(() => login.querySelector('input[name="code"]'), "the code step");
      t.fill(login, "code", "123456");
      t.submit(login);
      return true;
    }, LABELS);
    equal(await status(), "signed-in");
  });

  it("stand-in: user verification back on, 'Try again' runs a new ceremony and signs in", async () => {
    const { user } = await signedInUser();
    await passkeyPromptWithoutVerification(user);
    await inPasskeyPage(async (labels: Labels) => {
      const t = (window as unknown as PageWindow).__pk;
      await t.until(() => t.button(t.login(), labels.retry), "Try again");
      return true;
    }, LABELS);
    await executeServerCommand("passkeyPage:userVerified", { value: true });
    await inPasskeyPage(async (labels: Labels) => {
      (window as unknown as PageWindow).__pk.button((window as unknown as PageWindow).__pk.login(), labels.retry)!.click();
      return true;
    }, LABELS);
    equal(await status(), "signed-in");
  });

  it("stand-in: a passkey deleted in the profile is no longer offered, though the authenticator still holds it", async () => {
    const { user } = await signedInUser();
    await addPasskeyInProfile();
    const left = await inPasskeyPage(async (labels: Labels) => {
      const t = (window as unknown as PageWindow).__pk;
      const profile = document.querySelector("cognito-profile")!;
      t.button(profile, labels.delete)!.click();
      await t.until(() => t.button(profile, labels.deleteYes), "the confirmation");
      t.button(profile, labels.deleteYes)!.click();
      await t.until(() => profile.textContent?.includes(labels.deleted), "the passkey to be deleted");
      return profile.querySelectorAll(".passkeys li").length;
    }, LABELS);
    equal(left, 0);
    deepEqual(await executeServerCommand<string[], unknown>("passwordless:passkeys", { sub: user.sub }), [], "deleted at Cognito");
    equal((await executeServerCommand<unknown[], unknown>("passkeyPage:credentials")).length, 1, "still on the authenticator");
    await signOut();
    await startLogin(user, "passkey email-otp");
    const offered = await inPasskeyPage(async (labels: Labels) => {
      const t = (window as unknown as PageWindow).__pk;
      const login = t.login();
      await t.until(() => login.querySelector("h2")?.textContent?.trim() === labels.chooseTitle, "the choice");
      return [...login.querySelectorAll("button.secondary")].map((button) => button.textContent!.trim());
    }, LABELS);
    deepEqual(offered, [en.login.factor("email-otp")], "Cognito no longer offers WEB_AUTHN; the page's other factor stays");
  });

  it("stand-in: after a passwordless sign-up, passkey-prompt adds a passkey that then signs the user in", async () => {
    const pool = await passwordlessPool();
    await openPasskeyPage(pool);
    const username = `prompt${Date.now().toString(36)}`;
    const offered = await inPasskeyPage(
      async ({ username, labels }: { username: string; labels: Labels }) => {
        const t = (window as unknown as PageWindow).__pk;
        const signup = document.querySelector("cognito-signup")!;
        signup.setAttribute("passwordless", "");
        signup.setAttribute("passkey-prompt", "");
        await t.until(() => signup.querySelector('input[name="email"]') && !signup.querySelector('input[name="password"]'), "the passwordless form");
        t.fill(signup, "username", username);
        t.fill(signup, "email", `${username}@example.com`);
        t.submit(signup);
        await t.until(() => signup.querySelector('input[name="code"]'), "the confirm step");
        t.fill(signup, "code", "123456");
        t.submit(signup);
        await t.until(() => t.button(signup, labels.add), "the passkey offer");
        const text = signup.textContent!.replace(/\s+/g, " ");
        t.button(signup, labels.add)!.click();
        await t.until(() => !t.button(signup, labels.add), "the passkey to be added");
        return text;
      },
      { username, labels: LABELS },
    );
    ok(offered.includes(en.signup.passkeyPrompt), "the offer says what it is for");
    equal((await executeServerCommand<unknown[], unknown>("passkeyPage:credentials")).length, 1, "a passkey on the authenticator");
    await signOut();
    await startLogin({ username, password: "", sub: "" }, "passkey email-otp");
    equal(await status(), "signed-in");
    equal((await executeServerCommand<string[], unknown>("passwordless:calls")).at(-1), "RespondToAuthChallenge:WEB_AUTHN");
  });
});
