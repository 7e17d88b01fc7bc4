/**
 * Where tokens are kept, in the layout amazon-cognito-identity-js and Amplify v5 use
 * (`CognitoIdentityServiceProvider.<clientId>.LastAuthUser`, `….<username>.idToken` …), so a user
 * signed in by either stays signed in after the page moves to cognito-elements, and the other way
 * round. Also the sweep that removes every one of them.
 */
import type { StorageKind } from "./config.ts";

/** The part of the Web Storage interface the session and the sign-out sweep use. */
export interface TokenStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  clear(): void;
}

/** Tokens that live only as long as the page: nothing survives a reload, no other tab sees them. */
export class MemoryStorage implements TokenStorage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  clear(): void {
    this.#items.clear();
  }
}

// One per page, so configuring again (same pool) keeps a memory session.
const memory = new MemoryStorage();

export function storageFor(kind: StorageKind): TokenStorage {
  if (kind === "memory" || typeof window === "undefined") return memory;
  try {
    const storage = kind === "session" ? window.sessionStorage : window.localStorage;
    // Safari private mode and sandboxed frames throw on use, not on access.
    const probe = "cognito-elements.probe";
    storage.setItem(probe, probe);
    storage.removeItem(probe);
    return storage;
  } catch {
    return memory;
  }
}

/** The prefix of every key kept for this app client. */
export function keyPrefix(clientId: string): string {
  return `CognitoIdentityServiceProvider.${clientId}.`;
}

/** Removes every key of this client (tokens, the SDK's user data and device keys, LastAuthUser). */
export function sweepTokens(storage: TokenStorage, clientId: string): void {
  const prefix = keyPrefix(clientId);
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}

/** A session as kept in storage. */
export interface StoredTokens {
  /** The key's user part: the access token's `username`. */
  readonly username: string;
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Local clock minus Cognito's, in seconds, when the tokens were issued. */
  readonly clockDrift: number;
}

/** The session kept for this client, if there is a whole one. */
export function readTokens(storage: TokenStorage, clientId: string): StoredTokens | undefined {
  const prefix = keyPrefix(clientId);
  const username = storage.getItem(`${prefix}LastAuthUser`);
  if (!username) return undefined;
  const item = (name: string) => storage.getItem(`${prefix}${username}.${name}`) ?? "";
  const [idToken, accessToken, refreshToken] = [item("idToken"), item("accessToken"), item("refreshToken")];
  if (!idToken || !accessToken) return undefined;
  return { username, idToken, accessToken, refreshToken, clockDrift: Number(item("clockDrift")) || 0 };
}

/** Replaces the session kept for this client; LastAuthUser last, since it is what makes other tabs see it. */
export function writeTokens(storage: TokenStorage, clientId: string, tokens: StoredTokens): void {
  const prefix = keyPrefix(clientId);
  const previous = storage.getItem(`${prefix}LastAuthUser`);
  if (previous && previous !== tokens.username) sweepTokens(storage, clientId);
  const user = `${prefix}${tokens.username}.`;
  storage.setItem(`${user}idToken`, tokens.idToken);
  storage.setItem(`${user}accessToken`, tokens.accessToken);
  storage.setItem(`${user}refreshToken`, tokens.refreshToken);
  storage.setItem(`${user}clockDrift`, String(tokens.clockDrift));
  storage.setItem(`${prefix}LastAuthUser`, tokens.username);
}
