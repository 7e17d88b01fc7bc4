/**
 * The pool's key set: jose's remote JWKS, created once per isolate, seeded from and saved to an
 * optional persistent store (the Cache API on Workers) through jose's own `jwksCache` hook.
 *
 * - jose keeps the set for `cacheMaxAge`, refetches for an unknown `kid` at most once per
 *   `cooldownDuration`, and aborts a fetch after `timeoutDuration`.
 * - A failed fetch is not cached: jose only records a successful one.
 * - Every fetch goes through `deps.fetch` (jose's `customFetch`) and is checked here, so "the key
 *   set cannot be had" is one error, `jwks_unavailable`, distinct from "the key is not in the set".
 * - Workers forbids a request to await I/O another request started. jose shares one in-flight
 *   fetch between concurrent callers except on Workers, where it starts one per caller
 *   (jose/src/jwks/remote.ts, `isCloudflareWorkers`): measured on workerd, 50 concurrent cold
 *   requests then made 29 fetches. With `waitForInFlight` (the Workers entry sets it) a request
 *   that finds a fetch in flight polls jose's `reloading` flag on a timer until it clears, then
 *   reads the keys from memory: one fetch, and no request ever awaits another's promise. If the
 *   other request dies with its fetch, the wait ends at the fetch timeout and the request fetches
 *   for itself.
 */
import { createRemoteJWKSet, customFetch, jwksCache } from "jose";
import type { ExportedJWKSCache, JWSHeaderParameters, FlattenedJWSInput, JSONWebKeySet, RemoteJWKSet } from "jose";
import type { Config } from "./config.ts";
import { GateError } from "./errors.ts";

export type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** Where a fetched key set outlives the isolate. Only the gate writes it: its keys are trusted. */
export interface KeySetStore {
  read(): Promise<ExportedJWKSCache | undefined>;
  write(value: ExportedJWKSCache): Promise<void>;
}

export interface KeySet {
  /** Key resolver (jose's JWKS getKey): the imported key for a header's `kid` and `alg`. */
  (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey>;
  /** Saves the set to the store when this isolate fetched a newer one (call from `waitUntil`). */
  persist(): Promise<void>;
  /**
   * The set as last fetched while it is fresh (younger than `cacheMaxAge`), else undefined. A new
   * object after every fetch. Costs no I/O: the verified-token cache asks it on every hit.
   */
  current(): JSONWebKeySet | undefined;
}

const unavailable = (cause?: unknown) => new GateError("jwks_unavailable", "The signing keys cannot be fetched", { cause });

function isKeySet(value: unknown): value is JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray(keys) &&
    keys.every((key) => typeof key === "object" && key !== null && !Array.isArray(key))
  );
}

/** jose's `customFetch`: any way of not getting a JSON key set with a 200 is `jwks_unavailable`. */
function checkedFetch(fetch: Fetch): (url: string, init: RequestInit) => Promise<Response> {
  return async (url, init) => {
    let json: unknown;
    try {
      const response = await fetch(url, init);
      // jose asks for `redirect: "manual"`: a redirect is a failure, never followed.
      if (response.status !== 200) {
        await response.body?.cancel();
        throw unavailable();
      }
      json = await response.json();
    } catch (error) {
      throw error instanceof GateError ? error : unavailable(error);
    }
    if (!isKeySet(json)) throw unavailable();
    return new Response(JSON.stringify(json), { headers: { "content-type": "application/json" } });
  };
}

function isExported(value: unknown): value is ExportedJWKSCache {
  const { uat, jwks } = (value ?? {}) as Partial<ExportedJWKSCache>;
  return typeof uat === "number" && Number.isFinite(uat) && isKeySet(jwks);
}

export interface KeySetOptions {
  fetch: Fetch;
  store?: KeySetStore | undefined;
  /** Wait for another request's in-flight fetch by polling instead of fetching too (Workers). */
  waitForInFlight?: boolean | undefined;
}

const POLL_MS = 5;

/** Waits, without touching the other request's promise, until no fetch is in flight. */
async function inFlightSettled(remote: RemoteJWKSet, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (remote.reloading && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export function createKeySet(config: Config, { fetch, store, waitForInFlight = false }: KeySetOptions): KeySet {
  // jose reads this object once, at creation, and writes `uat`/`jwks` into it after each fetch.
  const exported: Partial<ExportedJWKSCache> = {};
  let remote: RemoteJWKSet | undefined;
  let persistedAt: number | undefined;

  async function ready(): Promise<RemoteJWKSet> {
    if (remote) return remote;
    // Each cold request reads the store itself: no request awaits another's read.
    const seeded = store ? await store.read().catch(() => undefined) : undefined;
    if (remote) return remote;
    if (isExported(seeded)) {
      Object.assign(exported, seeded);
      persistedAt = seeded.uat;
    }
    remote = createRemoteJWKSet(config.jwksUri, {
      cacheMaxAge: config.jwksCacheMs,
      cooldownDuration: config.jwksCooldownMs,
      timeoutDuration: config.jwksTimeoutMs,
      [jwksCache]: exported as ExportedJWKSCache,
      [customFetch]: checkedFetch(fetch),
    });
    return remote;
  }

  async function resolve(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> {
    const keys = await ready();
    if (waitForInFlight) await inFlightSettled(keys, config.jwksTimeoutMs);
    return keys(header, token);
  }

  async function persist(): Promise<void> {
    if (!store || !isExported(exported) || exported.uat === persistedAt) return;
    persistedAt = exported.uat;
    await store.write({ uat: exported.uat, jwks: exported.jwks }).catch(() => undefined);
  }

  function current(): JSONWebKeySet | undefined {
    return remote?.fresh ? exported.jwks : undefined;
  }

  return Object.assign(resolve, { persist, current });
}

/** Minimal slice of the Workers Cache API used here (`caches.default`). */
export interface CacheLike {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}

/**
 * A key-set store on the Workers Cache API. The entry lives under the key-set URL with a marker
 * query, so it never collides with a cached copy of the real URL, and expires with the set.
 */
export function cacheApiStore(cache: CacheLike, config: Config): KeySetStore {
  const key = new URL(config.jwksUri);
  key.searchParams.set("cognito-gate-jwks-cache", "1");
  const maxAge = Math.max(1, Math.floor(config.jwksCacheMs / 1000));
  return {
    async read() {
      const response = await cache.match(key.href);
      if (!response) return undefined;
      const value: unknown = await response.json();
      return isExported(value) ? value : undefined;
    },
    async write(value) {
      const body = JSON.stringify(value);
      await cache.put(key.href, new Response(body, { headers: { "content-type": "application/json", "cache-control": `max-age=${maxAge}` } }));
    },
  };
}
