/**
 * The pool's key set: jose's remote JWKS, created once per isolate, seeded from and saved to an
 * optional persistent store (the Cache API on Workers) through jose's own `jwksCache` hook.
 *
 * - jose keeps the set for `cacheMaxAge`, refetches for an unknown `kid` at most once per
 *   `cooldownDuration`, and aborts a fetch after `timeoutDuration`.
 * - A failed fetch is not cached: jose only records a successful one. It starts a backoff
 *   instead (`BACKOFF_MS`, doubling to `BACKOFF_CAP_MS`, reset by a success): while it runs, any
 *   lookup that would fetch fails at once with `jwks_unavailable`, so a stale set and a stream
 *   of unknown `kid`s cannot turn every request into a fetch toward Cognito (SECURITY 19).
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
import { pollWhile } from "./poll.ts";

/**
 * Where a fetched key set outlives the isolate. What it hands back is checked like a fetched set
 * (`isExported`, then jose's and verify.ts's key checks on use), and refused with a `uat` in the
 * future or older than `JWKS_CACHE_SECONDS`.
 */
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

/** First wait after a failed key-set fetch; each failure in a row doubles it, up to the cap. */
export const BACKOFF_MS = 2_000;
const BACKOFF_CAP_MS = 60_000;

interface Backoff {
  /** No fetch is started before this (ms since the epoch, by `now`). */
  until: number;
  delay: number;
}

/**
 * jose's `customFetch`: any way of not getting a JSON key set with a 200 is `jwks_unavailable`,
 * and starts (or doubles) the backoff, during which no fetch is even started.
 */
function checkedFetch(fetch: typeof globalThis.fetch, backoff: Backoff, now: () => number): (url: string, init: RequestInit) => Promise<Response> {
  return async (url, init) => {
    if (now() < backoff.until) throw unavailable();
    try {
      const response = await fetchKeySet(fetch, url, init);
      backoff.delay = 0;
      return response;
    } catch (error) {
      backoff.delay = backoff.delay === 0 ? BACKOFF_MS : Math.min(backoff.delay * 2, BACKOFF_CAP_MS);
      backoff.until = now() + backoff.delay;
      throw error;
    }
  };
}

async function fetchKeySet(fetch: typeof globalThis.fetch, url: string, init: RequestInit): Promise<Response> {
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
}

function isExported(value: unknown): value is ExportedJWKSCache {
  const { uat, jwks } = (value ?? {}) as Partial<ExportedJWKSCache>;
  return typeof uat === "number" && Number.isFinite(uat) && isKeySet(jwks);
}

/** A stored set as trustworthy as a fetched one: well formed, not from the future, not too old. */
function usableStored(value: unknown, config: Config, now: number): value is ExportedJWKSCache {
  return isExported(value) && value.uat <= now && now - value.uat < config.jwksCacheMs;
}

export interface KeySetOptions {
  fetch: typeof globalThis.fetch;
  /** Clock for the backoff and for judging a stored set's age (default `Date.now`). */
  now?: (() => number) | undefined;
  store?: KeySetStore | undefined;
  /** Wait for another request's in-flight fetch by polling instead of fetching too (Workers). */
  waitForInFlight?: boolean | undefined;
}

export function createKeySet(config: Config, { fetch, store, waitForInFlight = false, now = Date.now }: KeySetOptions): KeySet {
  // jose reads this object once, at creation, and writes `uat`/`jwks` into it after each fetch.
  const exported: Partial<ExportedJWKSCache> = {};
  const backoff: Backoff = { until: 0, delay: 0 };
  let remote: RemoteJWKSet | undefined;
  let persistedAt: number | undefined;

  async function ready(): Promise<RemoteJWKSet> {
    if (remote) return remote;
    // Each cold request reads the store itself: no request awaits another's read.
    const seeded = store ? await store.read().catch(() => undefined) : undefined;
    if (remote) return remote;
    if (usableStored(seeded, config, now())) {
      Object.assign(exported, seeded);
      persistedAt = seeded.uat;
    }
    remote = createRemoteJWKSet(config.jwksUri, {
      cacheMaxAge: config.jwksCacheMs,
      cooldownDuration: config.jwksCooldownMs,
      timeoutDuration: config.jwksTimeoutMs,
      [jwksCache]: exported as ExportedJWKSCache,
      [customFetch]: checkedFetch(fetch, backoff, now),
    });
    return remote;
  }

  /**
   * Keys jose resolved from the current set, by `kid`: a new set object after every fetch starts
   * an empty map, so nothing outlives the set it came from. The caller always asks for RS256, so
   * the `kid` alone names the key. Spares jose's per-call key search and its chain of awaits.
   */
  let resolved: { set: JSONWebKeySet; byKid: Map<string, CryptoKey> } | undefined;

  async function resolve(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> {
    const { kid } = header;
    const before = current();
    if (kid !== undefined && before !== undefined && resolved?.set === before && !remote!.reloading) {
      const key = resolved.byKid.get(kid);
      if (key !== undefined) return key;
    }
    const keys = await ready();
    if (waitForInFlight) await pollWhile(() => keys.reloading, config.jwksTimeoutMs);
    const key = await keys(header, token);
    const after = current();
    if (kid !== undefined && after !== undefined && after === before) {
      if (resolved?.set !== after) resolved = { set: after, byKid: new Map() };
      resolved.byKid.set(kid, key);
    }
    return key;
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

const text = new TextEncoder();
const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
const HMAC = { name: "HMAC", hash: "SHA-256" } as const;

async function hmacKey(secret: BufferSource): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", secret, HMAC, false, ["sign", "verify"]);
}

/**
 * A key-set store on the Workers Cache API, bound to this gate by `secret` (`ORIGIN_SECRET`).
 *
 * On Cloudflare every Worker of a zone shares `caches.default`: another Worker could read the
 * entry or write one of its own, and a foreign key stored there would verify forged tokens. So
 * the entry's name is derived from the secret (no other Worker can find it) and its body carries
 * an HMAC-SHA-256 under a key derived from the secret and the key-set URL (no other Worker can
 * write one the gate accepts). An entry failing the HMAC is ignored, as is one `usableStored`
 * refuses. It expires from the cache with the set.
 */
export function cacheApiStore(cache: CacheLike, config: Config, secret: string): KeySetStore {
  const maxAge = Math.max(1, Math.floor(config.jwksCacheMs / 1000));
  const signed = (value: ExportedJWKSCache) => text.encode(JSON.stringify({ uat: value.uat, jwks: value.jwks }));
  // Derived on each use, not shared: a Workers request must not await what another one started.
  async function binding(): Promise<{ key: CryptoKey; url: string }> {
    const master = await hmacKey(text.encode(secret));
    const key = await hmacKey(await crypto.subtle.sign(HMAC, master, text.encode(`cognito-gate key-set cache v1\n${config.jwksUri.href}`)));
    const url = new URL(config.jwksUri);
    url.search = "";
    url.searchParams.set("cognito-gate-jwks-cache", hex(await crypto.subtle.sign(HMAC, key, text.encode("entry name"))).slice(0, 32));
    return { key, url: url.href };
  }
  return {
    async read() {
      const { key, url } = await binding();
      const response = await cache.match(url);
      if (!response) return undefined;
      const stored = (await response.json()) as { value?: unknown; mac?: unknown };
      if (!isExported(stored.value) || typeof stored.mac !== "string" || !/^[0-9a-f]{64}$/.test(stored.mac)) return undefined;
      const mac = Uint8Array.from(stored.mac.match(/../g)!, (pair) => parseInt(pair, 16));
      // crypto.subtle.verify compares in constant time.
      return (await crypto.subtle.verify(HMAC, key, mac, signed(stored.value))) ? stored.value : undefined;
    },
    async write(value) {
      const { key, url } = await binding();
      const mac = hex(await crypto.subtle.sign(HMAC, key, signed(value)));
      const body = JSON.stringify({ value: { uat: value.uat, jwks: value.jwks }, mac });
      await cache.put(url, new Response(body, { headers: { "content-type": "application/json", "cache-control": `max-age=${maxAge}` } }));
    },
  };
}
