/**
 * The verified-token cache: it answers only what a full check would, never past `exp`, never
 * under a key that left the set (SECURITY 21), never from a failure, within its memory bound.
 */
import { describe, expect, it, vi } from "vitest";
import type { JWK } from "jose";
import { createTokenCache } from "../../worker/token-cache.ts";
import type { Identity, Verified } from "../../worker/verify.ts";
import { captureConsole, createGate, expectRefused, secretsOf } from "./support/gate.ts";
import { useForgedParts } from "./support/forged-parts.ts";
import { accessClaims, forge, rsaSigner } from "./support/tokens.ts";
import type { Signer } from "./support/tokens.ts";

const CLIENT = "cacheclient";

const logs = captureConsole();
const parts = useForgedParts();

const gateWith = (extra: Record<string, string> = {}, now?: () => number) =>
  createGate({ COGNITO_ISSUER: parts.keySet.issuer, JWKS_URI: parts.keySet.jwksUri, COGNITO_CLIENT_ID: CLIENT, ORIGIN_URL: parts.origin.url, ...extra }, now ? { now } : {});
const token = (key: Signer = parts.signer, extra: Record<string, unknown> = {}) => forge(key, accessClaims(parts.keySet.issuer, CLIENT, extra));
const refusal = (secrets: string[], code?: string) => ({ origin: parts.origin, logs, secrets, ...(code ? { code } : {}) });
/** A gate that has fetched its key set (the token verified during that first fetch is not cached). */
async function warm(gate: ReturnType<typeof gateWith>): Promise<typeof gate> {
  expect((await gate.bearer(await token())).status).toBe(200);
  parts.origin.requests.length = 0;
  return gate;
}
/** Waits until the gate's key set has gone stale (jose judges its age by the real clock). */
const stale = (gate: ReturnType<typeof gateWith>) => expect.poll(() => gate.deps.keys.current(), { timeout: 3000, interval: 20 }).toBeUndefined();

describe("verified-token cache, through handle()", () => {
  it("remembers a verified token and answers it again with the same identity headers", async () => {
    const gate = gateWith();
    const valid = await token();
    expect((await gate.bearer(valid)).status).toBe(200);
    // Verified while the key set was being fetched for the first time: not stored.
    expect(gate.deps.tokens.size).toBe(0);
    parts.origin.requests.length = 0;
    expect((await gate.bearer(valid)).status).toBe(200);
    expect(gate.deps.tokens.size).toBe(1);
    // Answered from the cache: no signature is checked.
    const verify = vi.spyOn(crypto.subtle, "verify");
    expect((await gate.bearer(valid)).status).toBe(200);
    expect(verify).not.toHaveBeenCalled();
    expect(parts.origin.requests).toHaveLength(2);
    expect(parts.origin.requests[1]!.headers["x-auth-username"]).toBe("mallory");
    expect(parts.origin.requests[1]!.headers["x-auth-sub"]).toBe(parts.origin.requests[0]!.headers["x-auth-sub"]);
  });

  it("never caches a failure: a bad signature is refused every time and stored nowhere", async () => {
    const gate = gateWith();
    const valid = await token();
    const forged = `${valid.slice(0, valid.lastIndexOf(".") + 1)}${"A".repeat(342)}`;
    for (let i = 0; i < 3; i++) expectRefused(await gate.bearer(forged), 401, refusal(secretsOf(forged), "token_invalid"));
    expect(gate.deps.tokens.size).toBe(0);
  });

  it("matches the exact token: a cached token's signature on another payload is refused", async () => {
    const gate = await warm(gateWith());
    const valid = await token();
    expect((await gate.bearer(valid)).status).toBe(200);
    expect(gate.deps.tokens.size).toBe(1);
    const other = await token(parts.signer, { username: "admin" });
    const spliced = `${other.slice(0, other.lastIndexOf("."))}${valid.slice(valid.lastIndexOf("."))}`;
    parts.origin.requests.length = 0;
    expectRefused(await gate.bearer(spliced), 401, refusal(secretsOf(spliced), "token_invalid"));
  });

  it("never answers past exp: a cached token is refused once exp and the clock tolerance have passed", async () => {
    let now = Date.now();
    const gate = await warm(gateWith({}, () => now));
    const exp = Math.floor(now / 1000) + 60;
    const shortLived = await token(parts.signer, { exp, iat: exp - 120 });
    expect((await gate.bearer(shortLived)).status).toBe(200);
    expect(gate.deps.tokens.size).toBe(1);
    now = exp * 1000 + 6000;
    parts.origin.requests.length = 0;
    expectRefused(await gate.bearer(shortLived), 401, refusal(secretsOf(shortLived), "token_expired"));
    expect(gate.deps.tokens.size).toBe(0);
  });

  it("runs the group check on every request, cached or not (SECURITY 28)", async () => {
    const gate = gateWith({ REQUIRED_GROUPS: "admin" });
    const member = await token(parts.signer, { "cognito:groups": ["admin"] });
    const outsider = await token(parts.signer, { "cognito:groups": ["admins"] });
    for (let i = 0; i < 2; i++) {
      expect((await gate.bearer(member)).status).toBe(200);
      parts.origin.requests.length = 0;
      expectRefused(await gate.bearer(outsider), 403, refusal(secretsOf(outsider), "insufficient_scope"));
    }
  });

  it("SECURITY 21: a cached token is refused once its key has left the set and the cache time has passed", async () => {
    const next = await rsaSigner();
    parts.keySet.keys = [parts.signer.jwk, next.jwk];
    const gate = await warm(gateWith({ JWKS_CACHE_SECONDS: "0.5", JWKS_COOLDOWN_SECONDS: "0" }));
    const old = await token();
    expect((await gate.bearer(old)).status).toBe(200);
    expect((await gate.bearer(old)).status).toBe(200);
    expect(gate.deps.tokens.size).toBe(1);
    parts.keySet.keys = [next.jwk];
    await stale(gate);
    parts.origin.requests.length = 0;
    expectRefused(await gate.bearer(old), 401, refusal(secretsOf(old), "token_invalid"));
    expect(gate.deps.tokens.get(old, Date.now())).toBeUndefined();
    expect((await gate.bearer(await token(next))).status).toBe(200);
  });

  it("keeps a cached token across a refetch that still holds its key", async () => {
    const gate = await warm(gateWith({ JWKS_CACHE_SECONDS: "0.3" }));
    const valid = await token();
    expect((await gate.bearer(valid)).status).toBe(200);
    expect(gate.deps.tokens.size).toBe(1);
    await stale(gate);
    expect((await gate.bearer(valid)).status).toBe(200);
    expect(parts.keySet.fetches).toBe(2);
    expect(gate.deps.tokens.size).toBe(1);
    // The entry is still answered under the refetched set, without a signature check.
    const verify = vi.spyOn(crypto.subtle, "verify");
    expect((await gate.bearer(valid)).status).toBe(200);
    expect(verify).not.toHaveBeenCalled();
    expect(gate.deps.tokens.size).toBe(1);
  });

  it("does not outlive a stale key set: with the set expired and unreachable, a cached token gets 503", async () => {
    const gate = await warm(gateWith({ JWKS_CACHE_SECONDS: "0.3" }));
    const valid = await token();
    expect((await gate.bearer(valid)).status).toBe(200);
    expect(gate.deps.tokens.size).toBe(1);
    parts.keySet.mode = "500";
    await stale(gate);
    parts.origin.requests.length = 0;
    expectRefused(await gate.bearer(valid), 503, refusal(secretsOf(valid), "jwks_unavailable"));
  });

  it("TOKEN_CACHE_KB=0 verifies every request", async () => {
    const gate = gateWith({ TOKEN_CACHE_KB: "0" });
    const valid = await token();
    for (let i = 0; i < 3; i++) expect((await gate.bearer(valid)).status).toBe(200);
    expect(gate.deps.tokens.size).toBe(0);
  });
});

describe("createTokenCache", () => {
  const jwk: JWK = { kty: "RSA", kid: "k1", n: "modulus", e: "AQAB", alg: "RS256", use: "sig" };
  const identity: Identity = { kind: "user", sub: "s", username: "u", clientId: "c", groups: [], scopes: [] };
  const verified = (extra: Partial<Verified> = {}): Verified => ({ identity, kid: "k1", fromMs: 1000, expMs: 10_000, ...extra });
  const keys = (set: { keys: JWK[] } | undefined) => ({ current: () => set });

  it("answers only inside [nbf/iat, exp)", () => {
    const set = { keys: [jwk] };
    const cache = createTokenCache(keys(set), 1 << 20);
    cache.add("t", verified(), set, 2000);
    expect(cache.get("t", 999)).toBeUndefined();
    cache.add("t", verified(), set, 2000);
    expect(cache.get("t", 9999)?.identity).toBe(identity);
    expect(cache.get("t", 10_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("stores nothing when the set changed during verification or holds no such kid", () => {
    const set = { keys: [jwk] };
    const cache = createTokenCache(keys(set), 1 << 20);
    cache.add("a", verified(), { keys: [jwk] }, 2000);
    cache.add("b", verified(), undefined, 2000);
    cache.add("c", verified({ kid: "k2" }), set, 2000);
    cache.add("d", verified(), set, 10_000);
    expect(cache.size).toBe(0);
  });

  it("drops an entry whose kid now names other key material", () => {
    let set = { keys: [jwk] };
    const cache = createTokenCache({ current: () => set }, 1 << 20);
    cache.add("t", verified(), set, 2000);
    set = { keys: [{ ...jwk }] };
    expect(cache.get("t", 2000)?.identity).toBe(identity);
    set = { keys: [{ ...jwk, n: "another modulus" }] };
    expect(cache.get("t", 2000)).toBeUndefined();
    set = { keys: [jwk] };
    expect(cache.get("t", 2000)).toBeUndefined();
  });

  it("stays within its byte bound, evicting the oldest first", () => {
    const set = { keys: [jwk] };
    const token = (i: number) => `${i}`.padEnd(1000, "x");
    const cache = createTokenCache(keys(set), 3 * 1512);
    for (let i = 0; i < 10; i++) cache.add(token(i), verified(), set, 2000);
    expect(cache.size).toBe(3);
    expect(cache.get(token(6), 2000)).toBeUndefined();
    expect([7, 8, 9].every((i) => cache.get(token(i), 2000)?.identity === identity)).toBe(true);
    cache.add("y".repeat(8192), verified(), set, 2000);
    expect(cache.size).toBe(3);
  });

  it("counts each group and scope of the identity against its byte bound, not only the token's characters", () => {
    const set = { keys: [jwk] };
    // 8 KB of token can hold ~1,500 one-letter groups: each a string and an array slot in memory.
    const groups = Array.from({ length: 1500 }, () => "a");
    const crowded = { ...identity, groups };
    const cache = createTokenCache(keys(set), 100 * 1024);
    cache.add("t1".padEnd(8000, "x"), verified({ identity: crowded }), set, 2000);
    expect(cache.size).toBe(1);
    cache.add("t2".padEnd(8000, "x"), verified({ identity: crowded }), set, 2000);
    expect(cache.size).toBe(1);
    const alone = createTokenCache(keys(set), 8000 + 512 + 1000);
    alone.add("t3".padEnd(8000, "x"), verified({ identity: crowded }), set, 2000);
    expect(alone.size).toBe(0);
  });
});
