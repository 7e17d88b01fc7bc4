/**
 * Forwarding to a real origin on 127.0.0.1 with real cognito-local tokens: identity headers,
 * header hygiene, the upstream host, and the origin being down (SECURITY 29–31, 34).
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../worker/config.ts";
import { handle } from "../../worker/http.ts";
import { headerValue, upstreamUrl } from "../../worker/proxy.ts";
import { freePort } from "../../dev/cognito-local.ts";
import { captureConsole, createGate, expectNoLeak, expectRefused, GATE, secretsOf } from "./support/gate.ts";
import { useRealParts } from "./support/real-parts.ts";

const logs = captureConsole();
const real = useRealParts({ groups: ["editors", "users"] });

const env = (extra: Record<string, string> = {}) => (real.env(extra));
const gate = (extra: Record<string, string> = {}) => createGate(env(extra));
const secrets = () => secretsOf(real.tokens.accessToken, real.user.sub, real.user.username, real.pool.clientId);
const originHost = () => new URL(real.origin.url).host;

const FORGED_IDENTITY = {
  "x-auth-sub": "00000000-0000-0000-0000-000000000000",
  "x-auth-username": "root",
  "x-auth-groups": "admin",
  "x-auth-scope": "admin:all",
  "x-auth-client-id": "someone-else",
  "x-auth-role": "superuser",
  "X-Auth-Extra": "1",
  "x-forwarded-user": "root",
};

describe("happy path through handle()", () => {
  it("forwards a real access token's identity and nothing the client claimed", async () => {
    const answer = await gate().bearer(real.tokens.accessToken, "/api/things?page=2", { headers: FORGED_IDENTITY });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true });
    expect(real.origin.requests).toHaveLength(1);
    const seen = real.origin.requests[0]!;
    expect(seen.url).toBe("/api/things?page=2");
    expect(seen.host).toBe(originHost());
    expect(seen.headers["x-auth-sub"]).toBe(real.user.sub);
    expect(seen.headers["x-auth-username"]).toBe(real.user.username);
    expect(seen.headers["x-auth-groups"]?.toString().split(",").sort()).toEqual(["editors", "users"]);
    expect(seen.headers["x-auth-scope"]).toBe("aws.cognito.signin.user.admin");
    expect(seen.headers["x-auth-client-id"]).toBe(real.pool.clientId);
    expect(seen.headers["x-auth-role"]).toBeUndefined();
    expect(seen.headers["x-auth-extra"]).toBeUndefined();
    expect(seen.headers["x-forwarded-user"]).toBeUndefined();
    expect(seen.headers.authorization).toBeUndefined();
  });

  it("forwards the method, body and ordinary headers", async () => {
    const answer = await gate().bearer(real.tokens.accessToken, "/api/things", {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "abc" },
      body: JSON.stringify({ name: "widget" }),
    });
    expect(answer.status).toBe(200);
    const seen = real.origin.requests[0]!;
    expect(seen.method).toBe("POST");
    expect(seen.body).toBe('{"name":"widget"}');
    expect(seen.headers["content-type"]).toBe("application/json");
    expect(seen.headers["x-request-id"]).toBe("abc");
  });

  it("prefixes forwarded paths with ORIGIN_URL's path", async () => {
    await gate({ ORIGIN_URL: `${real.origin.url}/base/` }).bearer(real.tokens.accessToken, "/api/things");
    expect(real.origin.requests[0]!.url).toBe("/base/api/things");
  });

  it("percent-encodes identity values that are not plain visible ASCII", () => {
    expect(headerValue("alice")).toBe("alice");
    expect(headerValue("a@b.example")).toBe("a@b.example");
    expect(headerValue("José")).toBe("Jos%C3%A9");
    expect(headerValue("a,b%c d\r\n")).toBe("a%2Cb%25c%20d%0D%0A");
    expect(decodeURIComponent(headerValue("Zoë, admin"))).toBe("Zoë, admin");
  });
});

describe("identity headers", () => {
  it("SECURITY 29: drops client-sent X-Auth-* and X-Forwarded-User; the origin sees only what the gate set", async () => {
    await gate().bearer(real.tokens.accessToken, "/api/things", { headers: FORGED_IDENTITY });
    const seen = real.origin.requests[0]!.headers;
    const identity = Object.keys(seen).filter((name) => name.startsWith("x-auth-") || name === "x-forwarded-user").sort();
    expect(identity).toEqual(["x-auth-client-id", "x-auth-groups", "x-auth-scope", "x-auth-sub", "x-auth-username"]);
    for (const [name, forged] of Object.entries(FORGED_IDENTITY)) expect(seen[name.toLowerCase()]).not.toBe(forged);
  });

  it("SECURITY 29: a request carrying forged identity headers but no token reaches nothing", async () => {
    const answer = await gate().send("/api/things", { headers: FORGED_IDENTITY });
    expectRefused(answer, 401, { origin: real.origin, logs, code: "token_missing" });
  });

  it("SECURITY 29: a public path still drops client-sent identity headers", async () => {
    const answer = await gate({ PUBLIC_PATHS: "/public/*" }).send("/public/info", { headers: FORGED_IDENTITY });
    expect(answer.status).toBe(200);
    const seen = real.origin.requests[0]!.headers;
    expect(Object.keys(seen).filter((name) => name.startsWith("x-auth-") || name === "x-forwarded-user")).toEqual([]);
  });
});

/** What a client might send to steer an origin's routing or claim an identity (SECURITY 38). */
const ROUTING_AND_IDENTITY = {
  "x-forwarded-host": "admin.internal.example",
  "x-forwarded-for": "10.0.0.1",
  "x-forwarded-proto": "https",
  "x-forwarded-prefix": "/admin",
  "x-forwarded-preferred-username": "root",
  "x-forwarded-email": "root@example.com",
  forwarded: "for=10.0.0.1;host=admin.internal.example;proto=https",
  "x-real-ip": "10.0.0.2",
  "cf-connecting-ip": "10.0.0.3",
  "true-client-ip": "10.0.0.4",
  "x-original-url": "/admin/users",
  "x-rewrite-url": "/admin/users",
  "x-http-method-override": "DELETE",
  "x-method-override": "DELETE",
  "remote-user": "root",
  "x-amzn-oidc-identity": "root",
  "x-amzn-oidc-data": "e30.e30.sig",
  "cf-access-authenticated-user-email": "root@example.com",
  "cf-access-jwt-assertion": "e30.e30.sig",
};

describe("headers origins trust for routing or identity", () => {
  const seenFamily = () =>
    Object.fromEntries(Object.entries(real.origin.requests[0]!.headers).filter(([name]) => name in ROUTING_AND_IDENTITY || name.startsWith("x-forwarded-")));

  it("SECURITY 38: a public path forwards none of them; X-Forwarded-For/-Proto/-Host come from the runtime", async () => {
    const g = gate({ PUBLIC_PATHS: "/public/*" });
    const request = new Request(`${GATE}/public/info`, { headers: ROUTING_AND_IDENTITY });
    const answer = await handle(request, g.config, g.deps, { address: "203.0.113.7" });
    expect(answer.status).toBe(200);
    expect(seenFamily()).toEqual({ "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "http", "x-forwarded-host": "gate.test" });
  });

  it("SECURITY 38: an authenticated request forwards none of them either", async () => {
    const g = gate();
    const headers = { ...ROUTING_AND_IDENTITY, authorization: `Bearer ${real.tokens.accessToken}` };
    const answer = await handle(new Request("https://api.gate.test:8443/api/things", { headers }), g.config, g.deps, { address: "2001:db8::1" });
    expect(answer.status).toBe(200);
    expect(seenFamily()).toEqual({ "x-forwarded-for": "2001:db8::1", "x-forwarded-proto": "https", "x-forwarded-host": "api.gate.test:8443" });
    expect(real.origin.requests[0]!.headers["x-auth-sub"]).toBe(real.user.sub);
  });

  it("SECURITY 38: without an address from the runtime, sends no X-Forwarded-For at all (never the client's)", async () => {
    const g = gate({ PUBLIC_PATHS: "/public/*" });
    expect((await g.send("/public/info", { headers: ROUTING_AND_IDENTITY })).status).toBe(200);
    expect(seenFamily()).toEqual({ "x-forwarded-proto": "http", "x-forwarded-host": "gate.test" });
  });

  it("lets an API's own headers through", async () => {
    await gate().bearer(real.tokens.accessToken, "/api/things", { headers: { "x-request-id": "r1", "x-api-version": "2" } });
    const seen = real.origin.requests[0]!.headers;
    expect([seen["x-request-id"], seen["x-api-version"]]).toEqual(["r1", "2"]);
  });
});

describe("upstream host", () => {
  const targets = ["//evil.example/x", "/\\evil.example", "/%2e%2e/", "/%2e%2e/%2e%2e/etc/passwd", "/..//evil.example", "/@evil.example"];

  it("SECURITY 30: path tricks and an absolute-form target never change the upstream host", async () => {
    const g = gate();
    for (const target of targets) {
      real.origin.requests.length = 0;
      // Concatenated, not resolved: `new URL("/\\evil.example", base)` would itself change the host.
      const answer = await g.bearer(real.tokens.accessToken, `${GATE}${target}`);
      expect(answer.status, target).toBe(200);
      expect(real.origin.requests).toHaveLength(1);
      expect(real.origin.requests[0]!.host).toBe(originHost());
    }
    real.origin.requests.length = 0;
    const absolute = await g.send(new Request("http://evil.example/steal?x=1", { headers: { authorization: `Bearer ${real.tokens.accessToken}` } }));
    expect(absolute.status).toBe(200);
    expect(real.origin.requests[0]!.host).toBe(originHost());
    expect(real.origin.requests[0]!.url).toBe("/steal?x=1");
  });

  it("SECURITY 30: the upstream URL keeps ORIGIN_URL's origin for every target", () => {
    const config = parseConfig(env({ ORIGIN_URL: "https://api.internal.example/v1" }));
    for (const target of [...targets, "/%5cevil.example", "/x?next=//evil.example"]) {
      const url = upstreamUrl(new URL(new Request(`${GATE}${target}`).url), config);
      expect(url.origin, target).toBe("https://api.internal.example");
      expect(url.pathname.startsWith("/v1/")).toBe(true);
    }
    expect(upstreamUrl(new URL(new Request("http://evil.example/a").url), config).href).toBe("https://api.internal.example/v1/a");
  });

  it("SECURITY 30: the same targets without a valid token are refused and reach nothing", async () => {
    const g = gate();
    for (const target of [...targets, "http://evil.example/"]) {
      const url = target.startsWith("http") ? target : `${GATE}${target}`;
      expectRefused(await g.send(new Request(url, { headers: { authorization: "Bearer not-a-token" } })), 401, { origin: real.origin, logs });
    }
  });
});

describe("hop-by-hop headers", () => {
  const hopByHop = {
    connection: "keep-alive, X-Hop-Secret",
    "keep-alive": "timeout=5",
    te: "trailers",
    trailer: "Expires",
    upgrade: "websocket",
    "proxy-authorization": "Basic cHJveHk6c2VjcmV0",
    "x-hop-secret": "only-for-the-next-hop",
  };

  it("SECURITY 31: drops Connection, Keep-Alive, TE, Upgrade, Proxy-Authorization and headers Connection names", async () => {
    const request = new Request(`${GATE}/api/things`, { headers: { ...hopByHop, authorization: `Bearer ${real.tokens.accessToken}` } });
    expect(request.headers.get("x-hop-secret")).toBe("only-for-the-next-hop");
    const answer = await gate().send(request);
    expect(answer.status).toBe(200);
    const seen = real.origin.requests[0]!.headers;
    for (const name of ["keep-alive", "te", "trailer", "upgrade", "proxy-authorization", "x-hop-secret"]) {
      expect(seen[name], name).toBeUndefined();
    }
    // Node's client sets its own `connection` for its socket; the client's value never travels.
    expect(seen.connection ?? "").not.toContain("X-Hop-Secret");
  });

  it("SECURITY 31: hop-by-hop headers with no valid token reach nothing", async () => {
    const answer = await gate().send("/api/things", { headers: hopByHop });
    expectRefused(answer, 401, { origin: real.origin, logs, code: "token_missing" });
  });

  it("drops hop-by-hop headers from the origin's answer", async () => {
    real.origin.responseHeaders = { connection: "X-Origin-Hop", "x-origin-hop": "1", "keep-alive": "timeout=5" };
    const answer = await gate().bearer(real.tokens.accessToken);
    expect(answer.headers.get("x-origin-hop")).toBeNull();
    expect(answer.headers.get("keep-alive")).toBeNull();
  });
});

describe("the origin's answer", () => {
  it("rewrites a Location naming ORIGIN_URL to a path on the gate, so the origin's address is never disclosed", async () => {
    const g = gate({ ORIGIN_URL: `${real.origin.url}/base/` });
    const cases: Array<[string, string]> = [
      [`${real.origin.url}/base/next?x=1#f`, "/next?x=1#f"],
      [`${real.origin.url}/base`, "/"],
      [`${real.origin.url}/elsewhere`, "/elsewhere"],
      ["https://accounts.example/login", "https://accounts.example/login"],
      ["/relative", "/relative"],
    ];
    for (const [sent, expected] of cases) {
      real.origin.responseHeaders = { location: sent };
      const answer = await g.bearer(real.tokens.accessToken);
      expect(answer.headers.get("location"), sent).toBe(expected);
    }
  });

  it("never turns an origin Location into a protocol-relative redirect to another host", async () => {
    for (const sent of [`${real.origin.url}//evil.example/x`, `${real.origin.url}/%2F/evil.example`]) {
      real.origin.responseHeaders = { location: sent };
      const location = (await gate().bearer(real.tokens.accessToken)).headers.get("location")!;
      expect(new URL(location, "https://gate.example").host, sent).toBe("gate.example");
      expect(location.includes(originHost())).toBe(false);
    }
  });
});

describe("origin down", () => {
  it("SECURITY 34: answers 502 origin_unavailable with nothing of the token in the answer or logs", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const answer = await gate({ ORIGIN_URL: closed }).bearer(real.tokens.accessToken);
    expectRefused(answer, 502, { origin: real.origin, logs, secrets: secrets(), code: "origin_unavailable" });
    expect(logs.join("\n")).toContain("origin_unavailable");
    expectNoLeak(logs.join("\n"), secrets());
  });
});
