/**
 * The handler as a whole: groups and scopes (SECURITY 28), caching headers (SECURITY 33, 48),
 * public paths, and the shape of every error answer (RFC 6750).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { errorResponse, GateError } from "../../worker/errors.ts";
import type { ErrorCode } from "../../worker/errors.ts";
import { privateCacheControl, validHost } from "../../worker/http.ts";
import { hasDotSegment, listedPlainly } from "../../worker/paths.ts";
import type { TestPool, TestUser, Tokens } from "../../dev/cognito-local.ts";
import { captureConsole, createGate, expectRefused, secretsOf } from "./support/gate.ts";
import { useRealParts } from "./support/real-parts.ts";
import type { Origin } from "./support/servers.ts";

const real = useRealParts({ groups: ["admin"] });
let pool: TestPool;
let admin: TestUser;
let lookalike: TestUser;
let adminTokens: Tokens;
let lookalikeTokens: Tokens;
let origin: Origin;
const logs = captureConsole();

beforeAll(async () => {
  ({ pool, origin, user: admin, tokens: adminTokens } = real);
  lookalike = await pool.createUser({ groups: ["admins", "Admin", "admin-readonly"] });
  lookalikeTokens = await pool.signIn(lookalike.username, lookalike.password);
});

const gate = (extra: Record<string, string> = {}) =>
  createGate({ COGNITO_ISSUER: pool.issuer, COGNITO_CLIENT_ID: pool.clientId, ORIGIN_URL: origin.url, ...extra });
const secrets = (token: string, user: TestUser) => secretsOf(token, user.sub, user.username, pool.clientId);

describe("groups and scopes", () => {
  it("SECURITY 28: refuses a token lacking a required group with 403 insufficient_scope", async () => {
    const answer = await gate({ REQUIRED_GROUPS: "ops" }).bearer(adminTokens.accessToken);
    expectRefused(answer, 403, { origin, logs, secrets: secrets(adminTokens.accessToken, admin), code: "insufficient_scope" });
    expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer realm="api", error="insufficient_scope"/);
  });

  it("SECURITY 28: refuses look-alike groups (admins, Admin, admin-readonly for admin)", async () => {
    const answer = await gate({ REQUIRED_GROUPS: "admin" }).bearer(lookalikeTokens.accessToken);
    expectRefused(answer, 403, { origin, logs, secrets: secrets(lookalikeTokens.accessToken, lookalike), code: "insufficient_scope" });
  });

  it("SECURITY 28: refuses a token lacking a required scope, or holding only a look-alike of it", async () => {
    for (const scopes of ["api/write", "aws.cognito.signin.user", "aws.cognito.signin.user.admin,api/write"]) {
      const answer = await gate({ REQUIRED_SCOPES: scopes }).bearer(adminTokens.accessToken);
      expectRefused(answer, 403, { origin, logs, secrets: secrets(adminTokens.accessToken, admin), code: "insufficient_scope" });
    }
  });

  it("lets a member of any one required group through, when it holds every required scope", async () => {
    const answer = await gate({ REQUIRED_GROUPS: "ops,admin", REQUIRED_SCOPES: "aws.cognito.signin.user.admin" }).bearer(adminTokens.accessToken);
    expect(answer.status).toBe(200);
    expect(origin.requests).toHaveLength(1);
  });
});

describe("caching of authenticated answers", () => {
  it("SECURITY 33: adds Cache-Control: private and Vary: Authorization", async () => {
    const answer = await gate().bearer(adminTokens.accessToken);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("private");
    expect(answer.headers.get("vary")).toBe("Authorization");
  });

  it("SECURITY 33: keeps the origin's own private Cache-Control and appends to its Vary", async () => {
    origin.responseHeaders = { "cache-control": "no-store", vary: "Accept-Encoding" };
    const answer = await gate().bearer(adminTokens.accessToken);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("vary")).toBe("Accept-Encoding, Authorization");
  });

  it("SECURITY 33: makes an origin's public, s-maxage answer with Set-Cookie private, keeping its other directives", async () => {
    origin.responseHeaders = { "cache-control": "public, max-age=60, s-maxage=3600, proxy-revalidate", "set-cookie": "session=abc; HttpOnly" };
    const answer = await gate().bearer(adminTokens.accessToken);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("private, max-age=60");
    expect(answer.headers.get("vary")).toBe("Authorization");
  });

  it("SECURITY 33: leaves the origin's Cache-Control as it is on a SHARED_CACHE_PATHS path, and only there", async () => {
    origin.responseHeaders = { "cache-control": "public, s-maxage=600" };
    const g = gate({ SHARED_CACHE_PATHS: "/catalog/*" });
    expect((await g.bearer(adminTokens.accessToken, "/catalog/items")).headers.get("cache-control")).toBe("public, s-maxage=600");
    expect((await g.bearer(adminTokens.accessToken, "/api/things")).headers.get("cache-control")).toBe("private");
  });

  it("SECURITY 48: makes an answer private on a SHARED_CACHE_PATHS path an origin may read as another (an encoded / or %25)", async () => {
    origin.responseHeaders = { "cache-control": "public, s-maxage=600" };
    const g = gate({ SHARED_CACHE_PATHS: "/catalog/*" });
    for (const path of ["/catalog/..%2fme", "/catalog/..%5cme", "/catalog/%252e%252e/me", "/catalog/..%252fme"]) {
      const answer = await g.bearer(adminTokens.accessToken, path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get("cache-control"), path).toBe("private");
    }
  });

  it("computes a private Cache-Control from any origin value", () => {
    expect(privateCacheControl(null)).toBe("private");
    expect(privateCacheControl("public")).toBe("private");
    expect(privateCacheControl("max-age=0, must-revalidate")).toBe("private, max-age=0, must-revalidate");
    expect(privateCacheControl('private="set-cookie", s-maxage=10')).toBe('private, private="set-cookie"');
    expect(privateCacheControl("no-store")).toBe("no-store");
    expect(privateCacheControl("PRIVATE, max-age=5")).toBe("PRIVATE, max-age=5");
  });

  it("SECURITY 33: error answers are never stored, and reach no origin", async () => {
    const answer = await gate().bearer("a.b.c");
    expectRefused(answer, 401, { origin, logs, code: "token_malformed" });
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });
});

describe("public paths", () => {
  it("matches exact paths exactly and prefix paths at a segment boundary", () => {
    const paths = [{ path: "/health", prefix: false }, { path: "/public", prefix: true }];
    for (const yes of ["/health", "/public", "/public/", "/public/a/b"]) expect(listedPlainly(yes, paths), yes).toBe(true);
    for (const no of ["/health/", "/healthz", "/publicity", "/api/public", "/public/..%2fadmin", "/public/%5cadmin", "/Health", "/public/%252e%252e/admin", "/public/..%252fadmin", "/public/100%25"]) {
      expect(listedPlainly(no, paths), no).toBe(false);
    }
  });

  it("forwards a public path without a token and without identity headers", async () => {
    const answer = await gate({ PUBLIC_PATHS: "/health" }).send("/health");
    expect(answer.status).toBe(200);
    expect(origin.requests[0]!.headers["x-auth-sub"]).toBeUndefined();
  });

  it("SECURITY 39: a path holding %25 is never public, so an origin decoding twice cannot be walked out of a public prefix", async () => {
    const g = gate({ PUBLIC_PATHS: "/public/*" });
    for (const target of ["/public/%252e%252e/admin", "/public/..%252fadmin", "/public/%2541"]) {
      expectRefused(await g.send(`http://gate.test${target}`), 401, { origin, logs, code: "token_missing" });
    }
    // Decoded twice, `%25` alone leaves a lone `%`, which no origin can route: refused as such.
    expectRefused(await g.send("http://gate.test/public/%25"), 400, { origin, logs, code: "request_invalid" });
  });

  it("does not let dot segments walk out of a public prefix", async () => {
    const answer = await gate({ PUBLIC_PATHS: "/public/*" }).send("http://gate.test/public/%2e%2e/admin");
    expectRefused(answer, 401, { origin, logs, code: "token_missing" });
  });
});

describe("dot segments the URL parser keeps", () => {
  // WHATWG URL removes `..` and `%2e%2e` but keeps `..;x` and `%2e%2e%3b`: Tomcat, Jetty and Spring
  // strip `;` path parameters and then resolve the `..`, reaching another path than the gate matched.
  const tricks = ["/public/..;/admin", "/public/..;jsessionid=x/admin", "/public/%2e%2e;/admin", "/public/.%2e%3b/admin", "/public/..%3B/admin", "/public/.;/x"];

  it("SECURITY 30: refuses a path-parameter dot segment with 400, even under a public prefix, and forwards nothing", async () => {
    const g = gate({ PUBLIC_PATHS: "/public/*" });
    for (const target of tricks) {
      const answer = await g.send(`http://gate.test${target}`);
      expectRefused(answer, 400, { origin, logs, code: "request_invalid" });
    }
  });

  it("SECURITY 30: refuses them with a valid token too, so no path leaves ORIGIN_URL's path", async () => {
    const g = gate({ ORIGIN_URL: `${origin.url}/base/` });
    for (const target of ["/..;/other", "/x/%2e%2e;/%2e%2e;/other"]) {
      const answer = await g.send(`http://gate.test${target}`, { headers: { authorization: `Bearer ${adminTokens.accessToken}` } });
      expectRefused(answer, 400, { origin, logs, secrets: secrets(adminTokens.accessToken, admin), code: "request_invalid" });
    }
  });

  it("lets ordinary segments that merely hold dots or semicolons through", () => {
    for (const path of ["/a/..b/c", "/a/b..;/c", "/files/report.v1;rev=2", "/a/...;/b", "/.well-known/x"]) expect(hasDotSegment(path), path).toBe(false);
    for (const path of ["/a/..;/b", "/a/.;/b", "/a/%2E%2e%3b/b", "/a/..;"]) expect(hasDotSegment(path), path).toBe(true);
  });
});

describe("error answers", () => {
  const expected: Array<[ErrorCode, number, string | null]> = [
    ["token_missing", 401, 'Bearer realm="api"'],
    ["token_malformed", 401, 'Bearer realm="api", error="invalid_token", error_description="m"'],
    ["token_expired", 401, 'Bearer realm="api", error="invalid_token", error_description="m"'],
    ["token_invalid", 401, 'Bearer realm="api", error="invalid_token", error_description="m"'],
    ["insufficient_scope", 403, 'Bearer realm="api", error="insufficient_scope", error_description="m"'],
    ["jwks_unavailable", 503, null],
    ["origin_unavailable", 502, null],
    ["config_invalid", 500, null],
    ["request_invalid", 400, null],
  ];

  for (const [code, status, challenge] of expected) {
    it(`answers ${code} with ${status}, a JSON body and ${challenge ? "a challenge" : "no challenge"}`, async () => {
      const response = errorResponse(new GateError(code, "m"));
      expect(response.status).toBe(status);
      expect(response.headers.get("www-authenticate")).toBe(challenge);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ error: code, message: "m" });
    });
  }

  it('keeps error_description a valid quoted-string (no " or \\ or control characters)', () => {
    const response = errorResponse(new GateError("token_invalid", 'a"b\\c\nd'));
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api", error="invalid_token", error_description="abcd"');
  });
});

describe("Host header (the Deno entry checks it)", () => {
  it("SECURITY 40: accepts host[:port] and nothing that could carry a path, a query, credentials or spaces", () => {
    for (const good of ["gate.test", "gate.test:8443", "127.0.0.1:8787", "[::1]:8787", "api.example.com.", null]) expect(validHost(good), String(good)).toBe(true);
    for (const bad of ["x/public/y?", "x/y", "gate.test?x", "gate.test#x", "user@gate.test", "a b", "gate.test:80:80", "gate.test:", "", "a".repeat(300), `${"a".repeat(5000)}!`]) {
      expect(validHost(bad), bad.slice(0, 20)).toBe(false);
    }
  });
});
