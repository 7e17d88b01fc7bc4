/**
 * The key set: kid handling, refetch limits, failures, unusable keys, rotation and persistence
 * (SECURITY 16, 17, 19–22). The gate points at this file's key-set server, which counts fetches.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair } from "jose";
import { parseConfig } from "../../worker/config.ts";
import { BACKOFF_MS, cacheApiStore } from "../../worker/jwks.ts";
import type { CacheLike } from "../../worker/jwks.ts";
import { captureConsole, createGate, expectNoLeak, expectRefused, secretsOf } from "./support/gate.ts";
import type { Gate } from "./support/gate.ts";
import { useForgedParts } from "./support/forged-parts.ts";
import type { KeySetMode } from "./support/servers.ts";
import { accessClaims, compact, forge, rsaSigner } from "./support/tokens.ts";
import type { Signer } from "./support/tokens.ts";

const CLIENT = "forgedclient";

const logs = captureConsole();
const parts = useForgedParts();

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { COGNITO_ISSUER: parts.keySet.issuer, JWKS_URI: parts.keySet.jwksUri, COGNITO_CLIENT_ID: CLIENT, ORIGIN_URL: parts.origin.url, ...extra };
}
const gateWith = (extra: Record<string, string> = {}) => createGate(env(extra));
const claims = (extra: Record<string, unknown> = {}) => accessClaims(parts.keySet.issuer, CLIENT, extra);
const token = (key: Signer = parts.signer, extra: Record<string, unknown> = {}) => forge(key, claims(extra));
const refusal = (secrets: string[], code?: string) => ({ origin: parts.origin, logs, secrets, ...(code ? { code } : {}) });

/** Polls `check` every 50 ms until it holds or `timeoutMs` passes; returns whether it held. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe("kid", () => {
  it("SECURITY 16: refuses a missing, non-string, path-like, SQL-like or 10 KB kid with at most one fetch in all", async () => {
    const gate = gateWith();
    const kids: unknown[] = [undefined, 123, null, ["a"], "", "../../etc/passwd", "' OR '1'='1'; --", "x".repeat(10 * 1024)];
    for (let round = 0; round < 5; round++) {
      for (const kid of kids) {
        const header: Record<string, unknown> = { alg: "RS256", typ: "JWT" };
        if (kid !== undefined) header.kid = kid;
        const forged = await compact(header, claims(), parts.signer);
        expectRefused(await gate.bearer(forged), 401, refusal(secretsOf(forged)));
      }
    }
    expect(parts.keySet.fetches).toBeLessThanOrEqual(1);
  });

  it("SECURITY 17: 1,000 tokens with random kids cause no refetch within the cooldown window", async () => {
    const gate = gateWith({ JWKS_COOLDOWN_SECONDS: "30" });
    expect((await gate.bearer(await token())).status).toBe(200);
    expect(parts.keySet.fetches).toBe(1);
    parts.origin.requests.length = 0;
    const forged = await Promise.all(
      Array.from({ length: 1000 }, () => compact({ alg: "RS256", kid: randomUUID() }, claims(), parts.signer)),
    );
    for (let i = 0; i < forged.length; i += 50) {
      const answers = await Promise.all(forged.slice(i, i + 50).map((t) => gate.bearer(t)));
      for (const answer of answers) expect(answer.status).toBe(401);
    }
    expect(parts.origin.requests).toHaveLength(0);
    expect(parts.keySet.fetches).toBe(1);
  });

  it("SECURITY 17: a cold gate given 1,000 random kids fetches the key set once", async () => {
    const gate = gateWith({ JWKS_COOLDOWN_SECONDS: "30" });
    for (let i = 0; i < 1000; i++) {
      const forged = await compact({ alg: "RS256", kid: `random-${i}` }, claims(), parts.signer);
      expectRefused(await gate.bearer(forged), 401, refusal(secretsOf(forged), "token_invalid"));
    }
    expect(parts.keySet.fetches).toBe(1);
  });
});

describe("key set failures", () => {
  const failures: KeySetMode[] = ["500", "hang", "html", "redirect", "not-a-set"];

  for (const mode of failures) {
    it(`SECURITY 19: a key set answering ${mode} gives 503, is not cached, backs off (doubling), and recovers`, async () => {
      let now = Date.now();
      const gate = createGate(env({ JWKS_TIMEOUT_SECONDS: "0.3" }), { now: () => now });
      const valid = await token();
      parts.keySet.mode = mode;
      const first = await gate.bearer(valid);
      expectRefused(first, 503, refusal(secretsOf(valid), "jwks_unavailable"));
      expect(first.headers.get("www-authenticate")).toBeNull();
      const afterFirst = parts.keySet.fetches;
      expect(afterFirst).toBeGreaterThanOrEqual(1);
      // Within the backoff: 503 at once, no fetch.
      expectRefused(await gate.bearer(valid), 503, refusal(secretsOf(valid), "jwks_unavailable"));
      expect(parts.keySet.fetches).toBe(afterFirst);
      // The failure is not cached: once the backoff has passed, the next request tries again.
      now += BACKOFF_MS;
      expectRefused(await gate.bearer(valid), 503, refusal(secretsOf(valid), "jwks_unavailable"));
      const afterSecond = parts.keySet.fetches;
      expect(afterSecond).toBeGreaterThan(afterFirst);
      // A second failure in a row doubles the wait.
      now += BACKOFF_MS;
      expectRefused(await gate.bearer(valid), 503, refusal(secretsOf(valid), "jwks_unavailable"));
      expect(parts.keySet.fetches).toBe(afterSecond);
      parts.keySet.mode = "ok";
      now += BACKOFF_MS;
      expect((await gate.bearer(valid)).status).toBe(200);
    });
  }

  it("SECURITY 19: with the key set stale and down, 200 unknown kids make one fetch per backoff, each answered 503", async () => {
    let now = Date.now();
    const gate = createGate(env({ JWKS_CACHE_SECONDS: "0.2", JWKS_COOLDOWN_SECONDS: "0" }), { now: () => now });
    expect((await gate.bearer(await token())).status).toBe(200);
    parts.origin.requests.length = 0;
    parts.keySet.mode = "500";
    // jose judges staleness by the real clock: wait until the set is stale.
    expect(await eventually(async () => gate.deps.keys.current() === undefined, 3000)).toBe(true);
    const before = parts.keySet.fetches;
    const strangers = await Promise.all(Array.from({ length: 200 }, () => forge(parts.signer, claims(), { kid: randomUUID() })));
    for (const forged of strangers.slice(0, 100)) expectRefused(await gate.bearer(forged), 503, refusal(secretsOf(forged), "jwks_unavailable"));
    expect(parts.keySet.fetches).toBe(before + 1);
    now += BACKOFF_MS;
    for (const forged of strangers.slice(100)) expectRefused(await gate.bearer(forged), 503, refusal(secretsOf(forged), "jwks_unavailable"));
    expect(parts.keySet.fetches).toBe(before + 2);
  });

  it("SECURITY 19: an unknown kid while the stale key set cannot be refetched gives 503, never 200", async () => {
    const gate = gateWith({ JWKS_CACHE_SECONDS: "0.2", JWKS_COOLDOWN_SECONDS: "0" });
    expect((await gate.bearer(await token())).status).toBe(200);
    parts.origin.requests.length = 0;
    parts.keySet.mode = "500";
    const stranger = await rsaSigner();
    const forged = await token(stranger);
    const refused = await eventually(async () => (await gate.bearer(forged)).status === 503, 3000);
    expect(refused).toBe(true);
    expect(parts.origin.requests).toHaveLength(0);
  });

  it("keeps serving with cached keys while the key set is down within the cache time", async () => {
    const gate = gateWith();
    const valid = await token();
    expect((await gate.bearer(valid)).status).toBe(200);
    parts.keySet.mode = "500";
    expect((await gate.bearer(valid)).status).toBe(200);
    expect(parts.keySet.fetches).toBe(1);
  });

  it("logs a key-set failure by code only: no token, claim or key-set address", async () => {
    const valid = await token();
    parts.keySet.mode = "html";
    expect((await gateWith().bearer(valid)).status).toBe(503);
    expect(logs.join("\n")).toContain("jwks_unavailable");
    expectNoLeak(logs.join("\n"), [...secretsOf(valid), parts.keySet.jwksUri]);
  });
});

describe("unusable keys", () => {
  async function refusedWith(served: Record<string, unknown>, key: Signer): Promise<void> {
    parts.keySet.keys = [served as never];
    const forged = await token(key);
    const answer = await gateWith().bearer(forged);
    expectRefused(answer, 401, refusal(secretsOf(forged), "token_invalid"));
    expect(parts.keySet.fetches).toBeGreaterThanOrEqual(1);
  }

  it('SECURITY 20: a JWK with use "enc" is not usable', async () => {
    await refusedWith({ ...parts.signer.jwk, use: "enc" }, parts.signer);
  });

  it("SECURITY 20: a JWK of the wrong kty is not usable", async () => {
    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    await refusedWith({ ...(await exportJWK(publicKey)), kid: parts.signer.kid }, parts.signer);
    await refusedWith({ kty: "oct", k: "c2VjcmV0", kid: parts.signer.kid }, parts.signer);
  });

  it("SECURITY 20: a JWK missing n or e is not usable", async () => {
    const { n: _n, ...withoutN } = parts.signer.jwk;
    const { e: _e, ...withoutE } = parts.signer.jwk;
    await refusedWith(withoutN, parts.signer);
    await refusedWith(withoutE, parts.signer);
  });

  it("SECURITY 20: an RSA key under 2048 bits is not usable", async () => {
    const small = await rsaSigner("small-key", 1024);
    await refusedWith(small.jwk, small);
  });
});

describe("rotation and cache time", () => {
  it("picks up a second key added to the key set after one refetch", async () => {
    const gate = gateWith({ JWKS_COOLDOWN_SECONDS: "0" });
    expect((await gate.bearer(await token())).status).toBe(200);
    expect(parts.keySet.fetches).toBe(1);
    const next = await rsaSigner();
    parts.keySet.keys = [parts.signer.jwk, next.jwk];
    expect((await gate.bearer(await token(next))).status).toBe(200);
    expect(parts.keySet.fetches).toBe(2);
    expect((await gate.bearer(await token(next))).status).toBe(200);
    expect((await gate.bearer(await token())).status).toBe(200);
    expect(parts.keySet.fetches).toBe(2);
  });

  it("SECURITY 21: a key removed from the key set is refused once the cache time has passed", async () => {
    const gate = gateWith({ JWKS_CACHE_SECONDS: "1", JWKS_COOLDOWN_SECONDS: "0" });
    const next = await rsaSigner();
    parts.keySet.keys = [parts.signer.jwk, next.jwk];
    const old = await token();
    expect((await gate.bearer(old)).status).toBe(200);
    const removedAt = Date.now();
    parts.keySet.keys = [next.jwk];
    // Still cached: the removal is not seen before the cache time.
    expect((await gate.bearer(old)).status).toBe(200);
    const refused = await eventually(async () => (await gate.bearer(old)).status === 401, 5000);
    expect(refused).toBe(true);
    expect(Date.now() - removedAt).toBeGreaterThanOrEqual(900);
    // Polling let the old token through until the cache time passed; from now on it never does.
    parts.origin.requests.length = 0;
    expectRefused(await gate.bearer(old), 401, refusal(secretsOf(old), "token_invalid"));
    expect((await gate.bearer(await token(next))).status).toBe(200);
  });

  it("SECURITY 22: a cold start under 50 concurrent requests makes one key-set fetch", async () => {
    const gate = gateWith();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => token()));
    const answers = await Promise.all(tokens.map((t) => gate.bearer(t)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(parts.keySet.fetches).toBe(1);
  });
});

describe("waiting for an in-flight fetch (the Workers mode)", () => {
  it("SECURITY 22: 50 concurrent cold requests polling for the in-flight fetch make one fetch", async () => {
    const gate = createGate(env(), { waitForInFlight: true });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => token()));
    const answers = await Promise.all(tokens.map((t) => gate.bearer(t)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(parts.keySet.fetches).toBe(1);
  });

  it("SECURITY 19: waiters give up at the fetch timeout when the fetch never lands: 503, then recovery after the backoff", async () => {
    parts.keySet.mode = "hang";
    let now = Date.now();
    const gate = createGate(env({ JWKS_TIMEOUT_SECONDS: "0.3" }), { waitForInFlight: true, now: () => now });
    const valid = await token();
    const answers = await Promise.all(Array.from({ length: 5 }, () => gate.bearer(valid)));
    for (const answer of answers) expectRefused(answer, 503, refusal(secretsOf(valid), "jwks_unavailable"));
    parts.keySet.mode = "ok";
    now += BACKOFF_MS;
    expect((await gate.bearer(valid)).status).toBe(200);
  });
});

const SECRET = "jwks-cache-test-secret-0123456789abcdefgh";

describe("persistence across isolates", () => {
  function memoryCache(): CacheLike & { entries: Map<string, string> } {
    const entries = new Map<string, string>();
    return {
      entries,
      async match(key) {
        const body = entries.get(key);
        return body === undefined ? undefined : new Response(body);
      },
      async put(key, response) {
        entries.set(key, await response.text());
      },
    };
  }

  it("seeds a new isolate's key set from the store, so it does not fetch", async () => {
    const cache = memoryCache();
    const store = cacheApiStore(cache, parseConfig(env()), SECRET);
    const valid = await token();
    const first: Gate = createGate(env(), { store });
    expect((await first.bearer(valid)).status).toBe(200);
    await first.deps.keys.persist();
    expect(cache.entries.size).toBe(1);
    const [key] = cache.entries.keys();
    expect(new URL(key!).origin).toBe(new URL(parts.keySet.jwksUri).origin);
    const second = createGate(env(), { store });
    expect((await second.bearer(valid)).status).toBe(200);
    expect(parts.keySet.fetches).toBe(1);
  });

  it("does not persist a failed fetch, and ignores a stale or corrupt stored entry", async () => {
    const cache = memoryCache();
    const store = cacheApiStore(cache, parseConfig(env()), SECRET);
    parts.keySet.mode = "500";
    const failed = createGate(env(), { store });
    expect((await failed.bearer(await token())).status).toBe(503);
    await failed.deps.keys.persist();
    expect(cache.entries.size).toBe(0);

    parts.keySet.mode = "ok";
    await store.write({ uat: Date.now() - 3_600_000, jwks: { keys: [] } });
    const stale = createGate(env(), { store });
    expect((await stale.bearer(await token())).status).toBe(200);
    expect(parts.keySet.fetches).toBe(2);

    const [key] = cache.entries.keys();
    cache.entries.set(key!, "not json");
    const corrupt = createGate(env(), { store });
    expect((await corrupt.bearer(await token())).status).toBe(200);
    expect(parts.keySet.fetches).toBe(3);
  });

  it("SECURITY 42: ignores a stored set with a uat in the future, so it cannot stay fresh forever", async () => {
    const cache = memoryCache();
    const store = cacheApiStore(cache, parseConfig(env()), SECRET);
    await store.write({ uat: Date.now() + 3_600_000, jwks: { keys: [parts.signer.jwk] } });
    const gate = createGate(env(), { store });
    expect((await gate.bearer(await token())).status).toBe(200);
    expect(parts.keySet.fetches).toBe(1);
  });

  it("SECURITY 42: a set stored by another Worker of the zone (another secret, or no MAC) is ignored, its key never trusted", async () => {
    const cache = memoryCache();
    const mine = cacheApiStore(cache, parseConfig(env()), SECRET);
    // Another Worker sharing caches.default writes a set holding its own key, under its secret…
    const stranger = await rsaSigner(parts.signer.kid);
    const theirs = cacheApiStore(cache, parseConfig(env()), "another-workers-secret-0123456789abcdefgh");
    await theirs.write({ uat: Date.now(), jwks: { keys: [stranger.jwk] } });
    expect(cache.entries.size).toBe(1);
    const [theirKey] = cache.entries.keys();
    // …and then at the name this gate uses, copying the body it can read elsewhere, and unsigned.
    await mine.write({ uat: Date.now(), jwks: { keys: [parts.signer.jwk] } });
    const [, myKey] = cache.entries.keys();
    expect(myKey).not.toBe(theirKey);
    cache.entries.set(myKey!, cache.entries.get(theirKey!)!);
    const gate = createGate(env(), { store: mine });
    const forged = await token(stranger);
    expectRefused(await gate.bearer(forged), 401, refusal(secretsOf(forged)));
    expect(parts.keySet.fetches).toBe(1);
    cache.entries.set(myKey!, JSON.stringify({ value: { uat: Date.now(), jwks: { keys: [stranger.jwk] } } }));
    const again = createGate(env(), { store: mine });
    expectRefused(await again.bearer(forged), 401, refusal(secretsOf(forged)));
    expect(parts.keySet.fetches).toBe(2);
  });

  it("SECURITY 42: names its entry from the secret, so no other Worker can look it up", async () => {
    const cache = memoryCache();
    await cacheApiStore(cache, parseConfig(env()), SECRET).write({ uat: Date.now(), jwks: { keys: [] } });
    const [key] = cache.entries.keys();
    expect(key).not.toContain(SECRET);
    expect(new URL(key!).searchParams.get("cognito-gate-jwks-cache")).toMatch(/^[0-9a-f]{32}$/);
    expect(key).not.toBe(`${parts.keySet.jwksUri}?cognito-gate-jwks-cache=1`);
  });
});
