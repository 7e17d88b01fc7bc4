/**
 * A second tab at http://localhost with a virtual authenticator (server/passkey-page.ts), driven
 * from a browser test: WebAuthn refuses the test page's IP-address origin, so ceremonies that must
 * succeed run there. Used by passkeys.test.ts, and by screenshots.test.ts to register a real passkey
 * before it shows the profile listing it. Cognito's side is the USER_AUTH stand-in that
 * server/plugin.ts starts.
 */
import { executeServerCommand } from "@web/test-runner-commands";
import { en } from "../../components/index.ts";
import { server, type Pool, type User } from "./support.ts";

export type Labels = typeof LABELS;
export const LABELS = {
  add: en.passkeys.add,
  added: en.passkeys.added,
  deleted: en.passkeys.deleted,
  delete: en.passkeys.delete,
  deleteYes: en.passkeys.deleteYes,
  usePassword: en.login.factor("password"),
  emailCode: en.login.factor("email-otp"),
  passkey: en.login.factor("passkey"),
  passkeyFailed: en.login.passkeyFailed,
  retry: en.login.retry,
  chooseTitle: en.login.chooseTitle,
  signOut: en.signOut.button,
  builtIn: en.passkeys.attachment("platform"),
};

export interface Helpers {
  until<T>(condition: () => T, what: string): Promise<T>;
  fill(root: Element, name: string, value: string): void;
  button(root: Element, label: string): HTMLButtonElement | undefined;
  submit(root: Element): void;
  login(): HTMLElement;
}
export type PageWindow = Window & { __pk: Helpers; cognitoTest: { status(): string } };

/**
 * Runs `fn` in the passkey tab. It must be self-contained (its source is sent): it reaches the
 * tab's helpers through `window.__pk` and gets `arg` as JSON.
 */
export function inPasskeyPage<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  return executeServerCommand<R, unknown>("passkeyPage:run", { source: fn.toString(), arg });
}

/** Polls without animation frames: the tab may not be painting. */
export function installHelpers(): boolean {
  const helpers: Helpers = {
    async until(condition, what) {
      const deadline = performance.now() + 10_000;
      for (;;) {
        const value = condition();
        if (value) return value;
        // What the tab shows, to say why (no secrets are rendered).
        if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}; the tab shows: ${document.body.innerText.replace(/\s+/g, " ").slice(0, 600)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    fill(root, name, value) {
      const input = root.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
      input.value = value;
      input.dispatchEvent(new InputEvent("input", { bubbles: true }));
    },
    button: (root, label) => [...root.querySelectorAll("button")].find((candidate) => candidate.textContent?.trim() === label),
    submit: (root) => root.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click(),
    login: () => document.querySelector("cognito-login")!,
  };
  (window as unknown as PageWindow).__pk = helpers;
  return true;
}

export async function openPasskeyPage(pool: Pool, userVerified = true): Promise<void> {
  await executeServerCommand("passkeyPage:open", {
    query: { "pool-id": pool.poolId, "client-id": pool.clientId, endpoint: pool.endpoint, "auth-flow": "USER_AUTH" },
    userVerified,
  });
  await inPasskeyPage(installHelpers, null);
}

/** A pool served through the stand-in (USER_AUTH, passkeys with user verification required). */
export async function passwordlessPool(): Promise<Pool> {
  const created = await server.createPool();
  const { endpoint } = await executeServerCommand<{ endpoint: string }, unknown>("passwordless:start", { poolId: created.poolId });
  return { ...created, endpoint };
}

/** In the tab: the choice-based login, password chosen, signed in. */
export async function signInWithPassword(user: User): Promise<void> {
  await inPasskeyPage(
    async ({ user, labels }: { user: User; labels: Labels }) => {
      const t = (window as unknown as PageWindow).__pk;
      const login = t.login();
      await t.until(() => login.querySelector('input[name="username"]'), "the username step");
      t.fill(login, "username", user.username);
      t.submit(login);
      await t.until(() => t.button(login, labels.usePassword), "the choice");
      t.button(login, labels.usePassword)!.click();
      await t.until(() => login.querySelector('input[name="password"]'), "the password step");
      t.fill(login, "password", user.password);
      t.submit(login);
      await t.until(() => (window as unknown as PageWindow).cognitoTest.status() === "signed-in", "signed in");
      return true;
    },
    { user, labels: LABELS },
  );
}

/** In the tab: a <cognito-profile> adds a passkey; answers how many it lists. */
export async function addPasskeyInProfile(): Promise<number> {
  return inPasskeyPage(async (labels: Labels) => {
    const t = (window as unknown as PageWindow).__pk;
    const profile = document.querySelector("cognito-profile") ?? document.body.appendChild(document.createElement("cognito-profile"));
    await t.until(() => t.button(profile, labels.add) && !t.button(profile, labels.add)!.disabled, "the Add a passkey button");
    t.button(profile, labels.add)!.click();
    await t.until(() => profile.textContent?.includes(labels.added), "the passkey to be added");
    if (!profile.querySelector(".passkeys li")?.textContent?.includes(labels.builtIn)) throw new Error("the list does not say where the passkey lives");
    return profile.querySelectorAll(".passkeys li").length;
  }, LABELS);
}
