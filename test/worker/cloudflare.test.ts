/**
 * The Workers entry: in Node (configuration failures) and on workerd through wrangler's
 * `unstable_startWorker`, against real cognito-local tokens and a real origin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import worker from "../../worker/cloudflare.ts";
import type { TestPool, TestUser, Tokens } from "../../dev/cognito-local.ts";
import { expectNoLeak, secretsOf } from "./support/gate.ts";
import { startCognitoStandIn } from "./support/cognito-stand-in.ts";
import type { CognitoStandIn } from "./support/cognito-stand-in.ts";
import { mirrorKeySet } from "./support/mirror.ts";
import { raw } from "./support/raw.ts";
import { RUNTIME_RULES } from "./support/runtime-rules.ts";
import { useRealParts } from "./support/real-parts.ts";
import type { KeySetServer, Origin } from "./support/servers.ts";

const real = useRealParts({ groups: ["users"] });
let pool: TestPool;
let user: TestUser;
let tokens: Tokens;
let origin: Origin;
let keySet: KeySetServer;
let standIn: CognitoStandIn;
let outsider: Tokens;

beforeAll(async () => {
  ({ pool, origin, user, tokens } = real);
  keySet = await mirrorKeySet(pool);
  standIn = await startCognitoStandIn();
  const other = await pool.createUser({ groups: ["users"] });
  outsider = await pool.signIn(other.username, other.password);
});

afterAll(async () => {
  await keySet?.close();
  await standIn?.close();
});



const ctx = { waitUntil: (promise: Promise<unknown>) => void promise.catch(() => undefined) };

describe("Workers entry in Node", () => {
  it("answers 500 config_invalid naming the bad setting, and proxies nothing", async () => {
    const env = { COGNITO_ISSUER: pool.issuer, COGNITO_CLIENT_ID: pool.clientId, ORIGIN_URL: "not a url" };
    const request = new Request("http://gate.test/api", { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    const response = await worker.fetch(request, env, ctx);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe("config_invalid");
    expect(body.message).toMatch(/^ORIGIN_URL /);
    expect(origin.requests).toHaveLength(0);
  });

  it("answers 500 naming ORIGIN_SECRET when it is too short, never echoing or logging the value", async () => {
    const secret = "too-short-secret-value";
    const lines: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
      const env = { COGNITO_ISSUER: pool.issuer, COGNITO_CLIENT_ID: pool.clientId, ORIGIN_URL: origin.url, ORIGIN_SECRET: secret };
      const response = await worker.fetch(new Request("http://gate.test/api"), env, ctx);
      expect(response.status).toBe(500);
      const text = await response.text();
      expect((JSON.parse(text) as { message: string }).message).toMatch(/^ORIGIN_SECRET /);
      expect(lines.join("\n")).toContain("ORIGIN_SECRET");
      expectNoLeak([text, ...lines].join("\n"), [secret]);
      expect(origin.requests).toHaveLength(0);
    } finally {
      console.error = original;
    }
  });

  it("SECURITY 43: answers 500 naming ROUTE_POLICIES and the entry's position when an entry is malformed", async () => {
    const env = { COGNITO_ISSUER: pool.issuer, COGNITO_CLIENT_ID: pool.clientId, ORIGIN_URL: origin.url, ROUTE_POLICIES: "/a public; /b role:secret-admin" };
    const response = await worker.fetch(new Request("http://gate.test/a"), env, ctx);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { message: string };
    expect(body.message).toMatch(/^ROUTE_POLICIES entry 2 /);
    expect(body.message).not.toContain("secret-admin");
    expect(origin.requests).toHaveLength(0);
  });

  it("SECURITY 46: answers 500 naming ORIGIN_URL when it is http: to another host while ORIGIN_SECRET is set", async () => {
    const env = { COGNITO_ISSUER: pool.issuer, COGNITO_CLIENT_ID: pool.clientId, ORIGIN_URL: "http://api.internal.example", ORIGIN_SECRET: WORKERD_SECRET };
    const response = await worker.fetch(new Request("http://gate.test/api", { headers: { authorization: `Bearer ${tokens.accessToken}` } }), env, ctx);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { message: string }).message).toMatch(/^ORIGIN_URL must be https:/);
  });

  it("SECURITY 42: keeps the key set in the Cache API only when ORIGIN_SECRET binds it to this gate", async () => {
    const stored = new Map<string, string>();
    const cache = {
      match: async (key: string) => (stored.has(key) ? new Response(stored.get(key)) : undefined),
      put: async (key: string, response: Response) => void stored.set(key, await response.text()),
    };
    const pending: Array<Promise<unknown>> = [];
    const waiting = { waitUntil: (promise: Promise<unknown>) => void pending.push(promise) };
    const global = globalThis as { caches?: unknown };
    global.caches = { default: cache };
    try {
      const request = () => new Request("http://gate.test/api", { headers: { authorization: `Bearer ${tokens.accessToken}` } });
      const env = { COGNITO_ISSUER: pool.issuer, JWKS_URI: keySet.jwksUri, COGNITO_CLIENT_ID: pool.clientId, ORIGIN_URL: origin.url };
      expect((await worker.fetch(request(), env, waiting)).status).toBe(200);
      await Promise.all(pending);
      expect(stored.size).toBe(0);
      expect((await worker.fetch(request(), { ...env, ORIGIN_SECRET: WORKERD_SECRET }, waiting)).status).toBe(200);
      await Promise.all(pending);
      expect(stored.size).toBe(1);
      const [key, body] = [...stored][0]!;
      expectNoLeak(`${key}\n${body}`, [WORKERD_SECRET]);
    } finally {
      delete global.caches;
    }
  });

  it("names a missing client id", async () => {
    const response = await worker.fetch(new Request("http://gate.test/"), { COGNITO_ISSUER: pool.issuer, ORIGIN_URL: origin.url }, ctx);
    expect(((await response.json()) as { message: string }).message).toMatch(/^COGNITO_CLIENT_ID /);
  });

  it("serves a valid token with a valid configuration", async () => {
    const env = { COGNITO_ISSUER: pool.issuer, COGNITO_CLIENT_ID: pool.clientId, ORIGIN_URL: origin.url };
    const request = new Request("http://gate.test/api", { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect((await worker.fetch(request, env, ctx)).status).toBe(200);
    expect(origin.requests[0]!.headers["x-auth-sub"]).toBe(user.sub);
  });
});

const WORKERD_SECRET = "workerd-origin-secret-0123456789abcdefghij";

describe("on workerd", () => {
  let gate: Awaited<ReturnType<typeof unstable_startWorker>>;
  let url: URL;

  async function startGate(): Promise<Awaited<ReturnType<typeof unstable_startWorker>>> {
    process.env.WRANGLER_SEND_METRICS = "false";
    const text = (value: string) => ({ type: "plain_text" as const, value });
    const started = await unstable_startWorker({
      config: "wrangler.toml",
      bindings: {
        COGNITO_ISSUER: text(pool.issuer),
        JWKS_URI: text(keySet.jwksUri),
        COGNITO_CLIENT_ID: text(pool.clientId),
        ORIGIN_URL: text(origin.url),
        ORIGIN_SECRET: { type: "secret_text" as const, value: WORKERD_SECRET },
        COGNITO_ENDPOINT: text(standIn.endpoint),
        ...Object.fromEntries(Object.entries(RUNTIME_RULES).map(([name, value]) => [name, text(value)])),
      },
      dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false },
    });
    await started.ready;
    return started;
  }

  beforeAll(async () => {
    gate = await startGate();
    url = await gate.url;
  });

  afterAll(async () => {
    await gate?.dispose();
  });

  it("SECURITY 22: a cold isolate under 50 concurrent requests makes one key-set fetch, no request awaiting another's I/O", async () => {
    keySet.fetches = 0;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => fetch(new URL("/api/things", url), { headers: { authorization: `Bearer ${tokens.accessToken}` } })),
    );
    const statuses = await Promise.all(answers.map(async (answer) => (await answer.text(), answer.status)));
    // workerd throws "Cannot perform I/O on behalf of a different request" (a 500) if one does.
    expect(statuses).toEqual(Array(50).fill(200));
    // Without waitForInFlight jose starts one fetch per cold request here (29 of 50 measured).
    expect(keySet.fetches).toBe(1);
    const before = keySet.fetches;
    await (await fetch(new URL("/api/things", url), { headers: { authorization: `Bearer ${tokens.accessToken}` } })).text();
    expect(keySet.fetches).toBe(before);
  });

  it("passes a real access token to the origin with X-Auth-Sub from the token, never the client's", async () => {
    const answer = await fetch(new URL("/api/things?x=1", url), {
      headers: { authorization: `Bearer ${tokens.accessToken}`, "x-auth-sub": "forged", "x-auth-groups": "admin", "x-forwarded-user": "root" },
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true });
    expect(answer.headers.get("cache-control")).toBe("private");
    expect(origin.requests).toHaveLength(1);
    const seen = origin.requests[0]!;
    expect(seen.url).toBe("/api/things?x=1");
    expect(seen.headers["x-auth-sub"]).toBe(user.sub);
    expect(seen.headers["x-auth-groups"]).toBe("users");
    expect(seen.headers["x-forwarded-user"]).toBeUndefined();
    expect(seen.headers.authorization).toBeUndefined();
  });

  it("sends ORIGIN_SECRET (a Workers secret) as X-Gate-Secret, never the client's", async () => {
    const answer = await fetch(new URL("/api/things", url), {
      headers: { authorization: `Bearer ${tokens.accessToken}`, "x-gate-secret": "forged-by-the-client-0123456789abcdef" },
    });
    const body = await answer.text();
    expect(answer.status).toBe(200);
    expect(origin.requests[0]!.headers["x-gate-secret"]).toBe(WORKERD_SECRET);
    expectNoLeak([body, ...answer.headers.values()].join("\n"), [WORKERD_SECRET]);
  });

  it("persists the key set in the Cache API: a new isolate verifies without fetching", async () => {
    const before = keySet.fetches;
    expect(before).toBeGreaterThanOrEqual(1);
    // A second workerd instance on the same local state is a fresh isolate with an empty memory.
    const second = await startGate();
    try {
      const answer = await fetch(new URL("/api/things", await second.url), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
      expect(answer.status).toBe(200);
      await answer.text();
      expect(keySet.fetches).toBe(before);
    } finally {
      await second.dispose();
    }
  });

  it("refuses a missing and an ID token, reaching no origin and leaking nothing", async () => {
    const missing = await fetch(new URL("/api/things", url));
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    await missing.text();
    const id = await fetch(new URL("/api/things", url), { headers: { authorization: `Bearer ${tokens.idToken}` } });
    expect(id.status).toBe(401);
    expectNoLeak(await id.text(), secretsOf(tokens.idToken, user.sub, user.username, pool.clientId));
    expect(origin.requests).toHaveLength(0);
  });

  it("SECURITY 41: answers TRACE with 405; TRACK and CONNECT never reach the Worker (workerd refuses them itself); nothing is forwarded", async () => {
    const port = Number(url.port);
    const trace = await raw(port, `TRACE /api/things HTTP/1.1\r\nHost: gate.test\r\nConnection: close\r\n\r\n`);
    expect(trace.split("\r\n")[0]).toBe("HTTP/1.1 405 Method Not Allowed");
    expect(trace.toLowerCase()).toContain("\r\nallow: ");
    // workerd answers TRACK with 501 and CONNECT with 500 ("Incoming CONNECT on a worker not
    // supported") before the Worker runs.
    for (const request of [`TRACK /api/things HTTP/1.1\r\nHost: gate.test\r\nConnection: close\r\n\r\n`, `CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\nConnection: close\r\n\r\n`]) {
      const answer = await raw(port, request);
      console.info(`workerd: ${request.split(" ")[0]} answered ${answer.split("\r\n")[0]}`);
      expect(answer.startsWith("HTTP/1.1 2")).toBe(false);
    }
    expect(origin.requests).toHaveLength(0);
  });

  it("SECURITY 38: drops the headers origins trust for routing and identity; X-Forwarded-For is CF-Connecting-IP as the runtime set it", async () => {
    const answer = await fetch(new URL("/public/info", url), {
      headers: { "x-forwarded-host": "admin.internal.example", "x-original-url": "/admin", "x-http-method-override": "DELETE", "x-real-ip": "10.0.0.2", "cf-access-authenticated-user-email": "root@example.com", "x-forwarded-for": "10.0.0.1" },
    });
    expect(answer.status).toBe(200);
    await answer.text();
    const seen = origin.requests[0]!.headers;
    for (const name of ["x-original-url", "x-http-method-override", "x-real-ip", "cf-access-authenticated-user-email"]) expect(seen[name], name).toBeUndefined();
    expect(seen["x-forwarded-host"]).toBe(url.host);
    expect(seen["x-forwarded-proto"]).toBe("http");
    // Locally the runtime sets CF-Connecting-IP to the loopback address the test connects from.
    expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
  });

  it("SECURITY 43: applies ROUTE_POLICIES on workerd: a group rule refuses a non-member with 403 and lets public entries through", async () => {
    const refused = await fetch(new URL("/admin/users", url), { headers: { authorization: `Bearer ${outsider.accessToken}` } });
    expect(refused.status).toBe(403);
    await refused.text();
    expect(origin.requests).toHaveLength(0);
    const health = await fetch(new URL("/health", url));
    expect(health.status).toBe(200);
    await health.text();
  });

  it("SECURITY 47: a method sent in lower case never passes its upper-case ROUTE_POLICIES entry on workerd", async () => {
    const send = (method: string) => fetch(new URL("/public/info", url), { method, headers: { authorization: `Bearer ${outsider.accessToken}` }, body: "{}" });
    const upper = await send("PATCH");
    expect(upper.status).toBe(403);
    await upper.text();
    // workerd answers `patch` with 501 before the Worker runs; were it let through, the gate
    // would read it as PATCH (as on Deno and in-process).
    const lower = await send("patch");
    expect([403, 501]).toContain(lower.status);
    await lower.text();
    expect(origin.requests).toHaveLength(0);
  });

  it("SECURITY 39: a %25 path under a public prefix needs a token on workerd", async () => {
    // `/public/A` once decoded twice: only the `%25` keeps it from being public.
    const answer = await fetch(new URL("/public/%2541", url));
    expect(answer.status).toBe(401);
    await answer.text();
    expect(origin.requests).toHaveLength(0);
  });

  it("SECURITY 33: makes an origin's public answer private on workerd", async () => {
    origin.responseHeaders = { "cache-control": "public, s-maxage=600" };
    const answer = await fetch(new URL("/api/things", url), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    await answer.text();
    expect(answer.headers.get("cache-control")).toBe("private");
  });

  it("SECURITY 44: on workerd a revoked token is refused on a checked path (stand-in), and Cognito down gives 503", async () => {
    standIn.revoked.clear();
    standIn.mode = "ok";
    const live = await fetch(new URL("/account/me", url), { headers: { authorization: `Bearer ${outsider.accessToken}` } });
    expect(live.status).toBe(200);
    await live.text();
    standIn.revoked.add(outsider.accessToken);
    origin.requests.length = 0;
    const revoked = await fetch(new URL("/account/me", url), { headers: { authorization: `Bearer ${outsider.accessToken}` } });
    expect(revoked.status).toBe(401);
    expectNoLeak(await revoked.text(), secretsOf(outsider.accessToken));
    standIn.mode = "500";
    const down = await fetch(new URL("/account/me", url), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: string }).error).toBe("revocation_unavailable");
    expect(origin.requests).toHaveLength(0);
    standIn.mode = "ok";
  });

  // One GetUser for concurrent requests is asserted in process (revocation.test.ts, polling as on
  // Workers), where arrival can be controlled; here, what only workerd can show: waiting on
  // another request's GetUser without awaiting its I/O, which workerd would refuse with a 500.
  it("SECURITY 44: on workerd concurrent requests for one token on a checked path all succeed, none awaiting another's GetUser", async () => {
    standIn.revoked.clear();
    standIn.calls.length = 0;
    standIn.hold = true;
    const answers = Array.from({ length: 20 }, () => fetch(new URL("/account/me", url), { headers: { authorization: `Bearer ${tokens.accessToken}` } }));
    await expect.poll(() => standIn.pending).toBeGreaterThanOrEqual(1);
    standIn.hold = false;
    standIn.release();
    const statuses = await Promise.all(answers.map(async (pending) => {
      const answer = await pending;
      await answer.text();
      return answer.status;
    }));
    // workerd answers 500 ("Cannot perform I/O on behalf of a different request") if one does.
    expect(statuses).toEqual(Array(20).fill(200));
  });
});
