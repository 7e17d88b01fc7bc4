/**
 * The one auth store of the page: which pool is configured, and who is signed in. Every element
 * reads it through AuthController; other tabs' sign-ins and sign-outs arrive as `storage` events.
 */
import { AuthClient } from "./client.ts";
import { ConfigError, parseConfig, type AuthOptions, type ConfigSource } from "./config.ts";
import { keyPrefix } from "./storage.ts";
import type { SessionUser } from "./tokens.ts";

export type AuthSnapshot =
  | { readonly status: "loading" }
  | { readonly status: "signed-out" }
  | ({ readonly status: "signed-in" } & SessionUser);

export type ConfigState =
  | { readonly state: "unset" }
  | { readonly state: "ready"; readonly client: AuthClient }
  | { readonly state: "error"; readonly error: ConfigError };

const LOADING: AuthSnapshot = Object.freeze({ status: "loading" });
const SIGNED_OUT: AuthSnapshot = Object.freeze({ status: "signed-out" });

export class AuthStore {
  #snapshot: AuthSnapshot = LOADING;
  #config: ConfigState = { state: "unset" };
  #configKey = "";
  readonly #listeners = new Set<() => void>();
  #stopSync: (() => void) | undefined;
  #unsetCheck = false;

  get snapshot(): AuthSnapshot {
    return this.#snapshot;
  }

  get config(): ConfigState {
    return this.#config;
  }

  /** The configured client, if the configuration is valid. */
  get client(): AuthClient | undefined {
    return this.#config.state === "ready" ? this.#config.client : undefined;
  }

  /** Calls `listener` after every change of `snapshot` or `config`; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    this.#scheduleUnsetCheck();
    return () => this.#listeners.delete(listener);
  }

  /**
   * Validates the options and (re)starts the client; throws ConfigError (and shows it in every
   * element) for a bad setting. Configuring the same settings again keeps the current client.
   */
  configure(options: Partial<Record<keyof AuthOptions, unknown>>, source: ConfigSource = "options"): AuthClient {
    let config;
    try {
      config = parseConfig(options, source);
    } catch (error) {
      if (error instanceof ConfigError) this.#setConfig({ state: "error", error }, "");
      throw error;
    }
    const key = JSON.stringify(config);
    if (this.#config.state === "ready" && key === this.#configKey) return this.#config.client;
    const client: AuthClient = new AuthClient(config, {
      onSession: (user) => {
        if (this.client === client) this.#setSnapshot(user ? { status: "signed-in", ...user } : SIGNED_OUT);
      },
    });
    this.#snapshot = LOADING;
    this.#setConfig({ state: "ready", client }, key);
    this.#syncTabs(client);
    void client.restore();
    // Back from the hosted UI: the callback completes by itself (failures reach the login and `cognito-error`).
    if (config.domain) completeHostedSignIn(client).catch(() => {});
    return client;
  }

  #setConfig(config: ConfigState, key: string): void {
    this.#stopSync?.();
    this.#stopSync = undefined;
    this.#config = config;
    this.#configKey = key;
    this.#notify();
  }

  #setSnapshot(snapshot: AuthSnapshot): void {
    if (JSON.stringify(snapshot) === JSON.stringify(this.#snapshot)) return;
    this.#snapshot = snapshot;
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /** Another tab (or frame) wrote or removed this client's keys: read the session again. */
  #syncTabs(client: AuthClient): void {
    if (typeof window === "undefined") return;
    const prefix = keyPrefix(client.config.clientId);
    let queued = false;
    const onStorage = (event: StorageEvent) => {
      if (event.storageArea !== client.storage) return;
      // `.userData` is the SDK's GetUser cache, not a sign-in or sign-out.
      if (event.key !== null && (!event.key.startsWith(prefix) || event.key.endsWith(".userData"))) return;
      // One sign-in writes five keys; read the session once after the burst.
      if (queued) return;
      queued = true;
      setTimeout(() => {
        queued = false;
        if (this.client === client) void client.restore();
      });
    };
    window.addEventListener("storage", onStorage);
    this.#stopSync = () => window.removeEventListener("storage", onStorage);
  }

  // A page that never configures should say so rather than show a form that cannot work. Module
  // scripts and parsed <cognito-config> elements have all run by DOMContentLoaded.
  #scheduleUnsetCheck(): void {
    if (this.#unsetCheck || typeof document === "undefined") return;
    this.#unsetCheck = true;
    const check = () =>
      setTimeout(() => {
        if (this.#config.state === "unset") this.#setConfig({ state: "error", error: new ConfigError("poolId", "missing", "attributes") }, "");
      });
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", check, { once: true });
    else check();
  }
}

/** The page's store. */
export const authStore = new AuthStore();

/** Sets the pool for every element on the page; same as `<cognito-config>`. Throws ConfigError. */
export function configure(options: AuthOptions): AuthClient {
  return authStore.configure(options, "options");
}

/**
 * Sends the browser to the hosted UI: to `provider`'s sign-in when given (an identity provider
 * name as set up in the pool: `Google`, `Facebook`, `SignInWithApple`, a SAML or OIDC name), else
 * to Cognito's own sign-in page.
 */
export async function startHostedSignIn(provider?: string, client = authStore.client): Promise<void> {
  // The OAuth round trip loads on first use: most pages never use the hosted UI.
  return (await import("./hosted.ts")).startHostedSignIn(client, provider);
}

/**
 * Completes a hosted sign-in when this page is the redirect URI and carries `state` with `code` (or
 * `error`); runs by itself when the pool is configured. Resolves with the user, or null when there
 * is nothing to complete; rejects with AuthError (`state_mismatch`, `authorization_code_invalid`,
 * `provider_refused`, `network`) and then stores nothing.
 */
export async function completeHostedSignIn(client = authStore.client): Promise<SessionUser | null> {
  return (await import("./hosted.ts")).completeHostedSignIn(client);
}
