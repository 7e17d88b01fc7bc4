/**
 * A Worker that runs the in-process comparison inside workerd, where the gate actually runs:
 * workerd's Web Crypto verifies synchronously on the isolate thread, unlike Node's, which hops to
 * a thread pool. Bundled by bench/gate-isolate.ts with the gate's modules and aws-jwt-verify's
 * Web build.
 *
 *   POST /load  {tokens, jwks, issuer, clientId}  → sets up every variant
 *   GET  /prepare?variant=…&n=…                    → fresh deps and n requests for the next run
 *   GET  /run?c=…                                  → the prepared n ops, c in flight; answers {ok, wrong}
 *
 * Timing is taken outside (wall clock and the workerd process's CPU from /proc): inside a Worker
 * the clock does not advance while code runs.
 */
import { JwtVerifier } from "aws-jwt-verify";
import { base64url, importJWK, type JWK } from "jose";
import { parseConfig } from "../worker/config.ts";
import { authenticate, createDeps, handle } from "../worker/http.ts";
import { rulesFor } from "../worker/policy.ts";
import { forward } from "../worker/proxy.ts";
import { readBearerToken, type Identity } from "../worker/verify.ts";
import { verifyAccessToken } from "./verify-only.ts";

type Op = (i: number) => Promise<boolean>;

interface Loaded {
  tokens: string[];
  jwks: { keys: JWK[] };
  issuer: string;
  clientId: string;
}

const ORIGIN = "http://origin.bench.invalid";
const COGNITO = "https://cognito.bench.invalid/";
/** 100 entries none of which matches `/api/…`: every lookup walks them all, then falls back. */
const POLICIES = Array.from({ length: 100 }, (_, i) => `${i % 2 ? "GET,HEAD " : ""}/route${i}/* ${i % 3 ? "scope:api/r" : "group:g"}${i}`).join("; ");
const JWKS_URI_SUFFIX = "/.well-known/jwks.json";

type RequestKind = "api" | "public" | "oneToken" | "checked";
/** The prebuilt requests each variant reads; the others need none built. */
const USES: Partial<Record<string, RequestKind>> = {
  handle: "api",
  handleUncached: "api",
  verifyThenForward: "api",
  awsThenForward: "api",
  forwardIdentity: "api",
  off: "public",
  verifyThenOff: "public",
  rawThenOff: "public",
  repeat: "oneToken",
  repeatUncached: "oneToken",
  repeatPolicies: "oneToken",
  repeatRevocation: "checked",
};

async function setup(data: Loaded, n: number, variant?: string): Promise<Record<string, Op>> {
  const { tokens } = data;
  const token = (i: number) => tokens[i % tokens.length]!;
  const jwksBody = JSON.stringify(data.jwks);
  const originBody = JSON.stringify({ ok: true });
  const getUserBody = JSON.stringify({ Username: "bench-user", UserAttributes: [] });
  // The gate's deps.fetch: the key set and the origin, both from memory.
  const stubFetch: typeof fetch = async (input) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith(JWKS_URI_SUFFIX)) return new Response(jwksBody, { headers: { "content-type": "application/json" } });
    if (url === COGNITO) return new Response(getUserBody, { headers: { "content-type": "application/x-amz-json-1.1" } });
    return new Response(originBody, { headers: { "content-type": "application/json" } });
  };
  const env = { COGNITO_ISSUER: data.issuer, COGNITO_CLIENT_ID: data.clientId, ORIGIN_URL: ORIGIN, PUBLIC_PATHS: "/bench/*" };
  const config = parseConfig(env);
  const deps = createDeps(config, { fetch: stubFetch });
  // The same gate with its verified-token cache off: every request verified in full.
  const uncachedConfig = parseConfig({ ...env, TOKEN_CACHE_KB: "0" });
  const uncached = createDeps(uncachedConfig, { fetch: stubFetch });
  // The same gate with 100 ROUTE_POLICIES entries, and with a revocation-checked path.
  const policiesConfig = parseConfig({ ...env, ROUTE_POLICIES: POLICIES });
  const withPolicies = createDeps(policiesConfig, { fetch: stubFetch });
  const revocationConfig = parseConfig({ ...env, REVOCATION_CHECK_PATHS: "/account/*", COGNITO_ENDPOINT: COGNITO, REVOCATION_CHECK_SECONDS: "3600" });
  const withRevocation = createDeps(revocationConfig, { fetch: stubFetch });

  const key = (await importJWK({ ...data.jwks.keys[0]!, alg: "RS256" }, "RS256")) as CryptoKey;
  const encoder = new TextEncoder();

  const verifier = JwtVerifier.create({
    issuer: data.issuer,
    audience: null,
    jwksUri: `${data.issuer}${JWKS_URI_SUFFIX}`,
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== "access") throw new Error("token_use");
      if (payload.client_id !== data.clientId) throw new Error("client_id");
    },
  });
  verifier.cacheJwks(data.jwks as never);

  const identity = await verifyAccessToken(token(0), config, deps.keys, Date.now());
  const paths = Array.from({ length: 1024 }, (_, i) => `/api/${i}`);
  const prefix: Record<RequestKind, string> = { api: "/api", public: "/bench", oneToken: "/api", checked: "/account" };
  const build = (kind: RequestKind, i: number) =>
    new Request(`https://gate.bench.invalid${prefix[kind]}/${i}`, { headers: { authorization: `Bearer ${token(kind === "oneToken" || kind === "checked" ? 0 : i)}` } });
  // The variant's requests are built here, before the run is timed: in production the runtime
  // builds them, not the gate. Each is used once, as a real one would be. (The warm-up, with no
  // variant named, builds its single request as it goes.)
  const kind = variant === undefined ? undefined : USES[variant];
  const prebuilt = kind ? Array.from({ length: n }, (_, i) => build(kind, i)) : [];
  const request = (kind: RequestKind, i: number) => prebuilt[i] ?? build(kind, i);
  const ok = async (p: Promise<unknown>) => {
    try {
      await p;
      return true;
    } catch {
      return false;
    }
  };
  return {
    raw: async (i) => {
      const t = token(i);
      const dot = t.lastIndexOf(".");
      return crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, base64url.decode(t.slice(dot + 1)) as Uint8Array<ArrayBuffer>, encoder.encode(t.slice(0, dot)));
    },
    aws: (i) => ok(verifier.verify(token(i))),
    verify: (i) => ok(verifyAccessToken(token(i), config, deps.keys, Date.now())),
    handle: async (i) => (await handle(request("api", i), config, deps)).status === 200,
    off: async (i) => (await handle(request("public", i), config, deps)).status === 200,
    // One client sending its token again and again, as a browser does for the token's hour.
    repeat: async (i) => (await handle(request("oneToken", i), config, deps)).status === 200,
    repeatUncached: async (i) => (await handle(request("oneToken", i), uncachedConfig, uncached)).status === 200,
    // The cached-token path again, with 100 policies to walk, and on a revocation-checked path
    // whose answer is cached (the warm case: one GetUser per token per REVOCATION_CHECK_SECONDS).
    repeatPolicies: async (i) => (await handle(request("oneToken", i), policiesConfig, withPolicies)).status === 200,
    // The lookup alone, over 100 entries none of which matches, and over none.
    policyLookup100: async (i) => rulesFor("GET", paths[i & 1023]!, policiesConfig).length === 1,
    policyLookup0: async (i) => rulesFor("GET", paths[i & 1023]!, config).length === 1,
    repeatRevocation: async (i) => (await handle(request("checked", i), revocationConfig, withRevocation)).status === 200,
    handleUncached: async (i) => (await handle(request("api", i), uncachedConfig, uncached)).status === 200,
    // The verification step alone (what the cache replaces), with and without the cache.
    authRepeat: () => ok(authenticate(token(0), config, deps)),
    authDistinct: (i) => ok(authenticate(token(i), config, deps)),
    verifyRepeat: () => ok(verifyAccessToken(token(0), config, deps.keys, Date.now())),
    // The same proxying behind either verifier: what a Worker built on aws-jwt-verify would pay.
    verifyThenForward: (i) =>
      ok(
        (async () => {
          const r = request("api", i);
          const id = await verifyAccessToken(readBearerToken(r), config, uncached.keys, Date.now());
          if ((await forward(r, new URL(r.url), config, id, stubFetch)).status !== 200) throw new Error("status");
        })(),
      ),
    awsThenForward: (i) =>
      ok(
        (async () => {
          const r = request("api", i);
          const payload = await verifier.verify(readBearerToken(r));
          const scope = typeof payload.scope === "string" ? payload.scope : "";
          // Cognito access-token claims, as the gate's verifier maps them (worker/verify.ts).
          const id = { kind: "user", sub: payload.sub, username: payload.username, clientId: payload.client_id, groups: payload["cognito:groups"] ?? [], scopes: scope.split(" ").filter(Boolean) } as Identity;
          if ((await forward(r, new URL(r.url), config, id, stubFetch)).status !== 200) throw new Error("status");
        })(),
      ),
    // Diagnostics (BENCH_DIAG): pieces of the authenticated path.
    verifyThenOff: async (i) => {
      await verifyAccessToken(token(i), config, uncached.keys, Date.now());
      return (await handle(request("public", i), config, deps)).status === 200;
    },
    rawThenOff: async (i) => {
      const t = token(i);
      const dot = t.lastIndexOf(".");
      await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, base64url.decode(t.slice(dot + 1)) as Uint8Array<ArrayBuffer>, encoder.encode(t.slice(0, dot)));
      return (await handle(request("public", i), config, deps)).status === 200;
    },
    forwardIdentity: async (i) => (await forward(request("api", i), new URL(`https://gate.bench.invalid/api/${i}`), config, identity, stubFetch)).status === 200,
  };
}

let data: Loaded | undefined;
let prepared: { op: Op; n: number } | undefined;

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/load") {
      data = (await request.json()) as Loaded;
      const ops = await setup(data, 1);
      for (const [name, op] of Object.entries(ops)) if (!(await op(0))) return new Response(`warm-up op ${name} failed`, { status: 500 });
      return new Response("ok");
    }
    if (!data) return new Response("not loaded", { status: 400 });
    if (url.pathname === "/prepare") {
      // Fresh deps for every run: the verified-token cache starts empty, so "distinct tokens"
      // rows never hit what an earlier round put there. Untimed: the bench reads CPU after it.
      const n = Number(url.searchParams.get("n") ?? 1000);
      const variant = url.searchParams.get("variant") ?? "";
      const op = (await setup(data, n, variant))[variant];
      if (!op) return new Response("unknown variant", { status: 400 });
      prepared = { op, n };
      return new Response("ok");
    }
    if (!prepared) return new Response("not prepared", { status: 400 });
    const { op, n } = prepared;
    prepared = undefined;
    const c = Number(url.searchParams.get("c") ?? 1);
    let next = 0;
    let good = 0;
    const lane = async () => {
      while (next < n) if (await op(next++)) good++;
    };
    await Promise.all(Array.from({ length: c }, lane));
    return Response.json({ ok: good, wrong: n - good });
  },
};
