/**
 * The Storage the SDK keeps its tokens in, and the sweep that removes every one of them.
 */
import type { StorageKind } from "./config.ts";

/** The part of the Web Storage interface the SDK and the sign-out sweep use. */
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

/** The prefix of every key the SDK writes for this app client. */
export function keyPrefix(clientId: string): string {
  return `CognitoIdentityServiceProvider.${clientId}.`;
}

/** Removes every SDK key of this client (tokens, user data, device keys, LastAuthUser). */
export function sweepTokens(storage: TokenStorage, clientId: string): void {
  const prefix = keyPrefix(clientId);
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}
