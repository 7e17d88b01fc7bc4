/** parseConfig: every bad or missing setting is named, its value never echoed. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../worker/config.ts";
import { GateError } from "../../worker/errors.ts";

const VALID = {
  COGNITO_USER_POOL_ID: "eu-west-1_AbC123xyz",
  COGNITO_CLIENT_ID: "1example23456789",
  ORIGIN_URL: "https://api.internal.example",
};

function failure(env: Record<string, unknown>): GateError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(GateError);
    expect((error as GateError).code).toBe("config_invalid");
    return error as GateError;
  }
  throw new Error("parseConfig accepted an invalid configuration");
}

describe("parseConfig", () => {
  it("derives the issuer and key-set URL from the pool id", () => {
    const config = parseConfig(VALID);
    expect(config.issuer).toBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz");
    expect(config.jwksUri.href).toBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz/.well-known/jwks.json");
    expect(config.clientIds).toEqual(["1example23456789"]);
  });

  it("has documented defaults", () => {
    const config = parseConfig(VALID);
    expect(config).toMatchObject({ jwksCacheMs: 600_000, jwksCooldownMs: 30_000, jwksTimeoutMs: 5_000, tokenCacheBytes: 8 * 1024 * 1024, publicPaths: [], corsAllowedOrigins: [] });
    expect(config).toMatchObject({ routePolicies: [], fallback: { public: false, groups: [], scopes: [] }, revocationCheckPaths: [], revocationCheckMs: 30_000, cognitoEndpoint: undefined, sharedCachePaths: [] });
  });

  it("parses ROUTE_POLICIES: methods, patterns and requirements, in order", () => {
    const config = parseConfig({
      ...VALID,
      ROUTE_POLICIES: "GET /reports/* scope:reports/read; POST,PUT,DELETE /reports/* scope:reports/write; /admin/* group:admin group:ops; /health public; /me token;",
    });
    const shown = config.routePolicies.map(({ methods, pattern, rule }) => ({ methods: methods && [...methods], pattern, rule }));
    expect(shown).toEqual([
      // GET includes HEAD (RFC 9110 §9.3.2).
      { methods: ["GET", "HEAD"], pattern: { path: "/reports", prefix: true }, rule: { public: false, groups: [], scopes: ["reports/read"] } },
      { methods: ["POST", "PUT", "DELETE"], pattern: { path: "/reports", prefix: true }, rule: { public: false, groups: [], scopes: ["reports/write"] } },
      { methods: undefined, pattern: { path: "/admin", prefix: true }, rule: { public: false, groups: ["admin", "ops"], scopes: [] } },
      { methods: undefined, pattern: { path: "/health", prefix: false }, rule: { public: true } },
      { methods: undefined, pattern: { path: "/me", prefix: false }, rule: { public: false, groups: [], scopes: [] } },
    ]);
  });

  const badPolicies: Array<[string, string]> = [
    ["/a public; ; /b token", "entry 2 "],
    ["/a", "entry 1 "],
    ["GET /a public; get /b token", "entry 2 "],
    ["/a token; /b role:admin", "entry 2 "],
    ["/a token; /b group:", "entry 2 "],
    ["/a public token", "entry 1 "],
    ["GET,, /a token", "entry 1 "],
    ["GET a/b token", "entry 1 "],
    ["/a/%2e%2e token", "entry 1 "],
    ["/a/*/b token", "entry 1 "],
  ];
  for (const [value, position] of badPolicies) {
    it(`names ROUTE_POLICIES and the position of a malformed entry (${JSON.stringify(value)}), never its text`, () => {
      const error = failure({ ...VALID, ROUTE_POLICIES: value });
      expect(error.message.startsWith(`ROUTE_POLICIES ${position}`)).toBe(true);
      for (const word of value.split(/[\s;]+/).filter((item) => item.startsWith("/") || item.startsWith("role"))) expect(error.message).not.toContain(word);
    });
  }

  it("derives COGNITO_ENDPOINT for REVOCATION_CHECK_PATHS from the pool or an AWS issuer; needs it for any other issuer", () => {
    expect(parseConfig({ ...VALID, REVOCATION_CHECK_PATHS: "/account/*" }).cognitoEndpoint?.href).toBe("https://cognito-idp.eu-west-1.amazonaws.com/");
    const { COGNITO_USER_POOL_ID: _pool, ...withoutPool } = VALID;
    const aws = { ...withoutPool, COGNITO_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", REVOCATION_CHECK_PATHS: "/a" };
    expect(parseConfig(aws).cognitoEndpoint?.href).toBe("https://cognito-idp.us-east-1.amazonaws.com/");
    const local = { ...withoutPool, COGNITO_ISSUER: "http://127.0.0.1:9229/local_5rt1kzHx", REVOCATION_CHECK_PATHS: "/a" };
    expect(failure(local).message).toMatch(/^COGNITO_ENDPOINT /);
    expect(parseConfig({ ...local, COGNITO_ENDPOINT: "http://127.0.0.1:9229/" }).cognitoEndpoint?.href).toBe("http://127.0.0.1:9229/");
    expect(parseConfig({ ...local, REVOCATION_CHECK_SECONDS: "0", COGNITO_ENDPOINT: "http://127.0.0.1:9229/" }).revocationCheckMs).toBe(0);
    // Without a checked path the endpoint is not needed, so none is derived.
    expect(parseConfig(VALID).cognitoEndpoint).toBeUndefined();
  });

  it("SECURITY 46: refuses an http ORIGIN_URL to another host while ORIGIN_SECRET is set, and accepts loopback", () => {
    const secret = "s".repeat(40);
    expect(failure({ ...VALID, ORIGIN_URL: "http://api.internal.example", ORIGIN_SECRET: secret }).message).toMatch(/^ORIGIN_URL must be https:/);
    for (const loopback of ["http://127.0.0.1:8080", "http://localhost:3000", "http://[::1]:3000", "http://127.3.2.1"]) {
      expect(parseConfig({ ...VALID, ORIGIN_URL: loopback, ORIGIN_SECRET: secret }).originUrl.href, loopback).toBe(new URL(loopback).href);
    }
    expect(parseConfig({ ...VALID, ORIGIN_URL: "http://api.internal.example" }).originUrl.protocol).toBe("http:");
  });

  it("lets COGNITO_ISSUER override the issuer for a local emulator, with or without a pool id", () => {
    const issuer = "http://127.0.0.1:9229/local_5rt1kzHx";
    expect(parseConfig({ ...VALID, COGNITO_ISSUER: issuer }).issuer).toBe(issuer);
    const { COGNITO_USER_POOL_ID: _omitted, ...withoutPool } = VALID;
    const config = parseConfig({ ...withoutPool, COGNITO_ISSUER: issuer });
    expect(config.jwksUri.href).toBe(`${issuer}/.well-known/jwks.json`);
  });

  it("reads lists, paths, origins and durations", () => {
    const config = parseConfig({
      ...VALID,
      COGNITO_CLIENT_ID: " a1 , b2 ",
      JWKS_URI: "http://127.0.0.1:1/keys",
      PUBLIC_PATHS: "/health, /public/*",
      REQUIRED_GROUPS: "admin,ops",
      REQUIRED_SCOPES: "api/read",
      CORS_ALLOWED_ORIGINS: "https://app.example, http://localhost:5173",
      JWKS_CACHE_SECONDS: "60",
      JWKS_COOLDOWN_SECONDS: "0",
      JWKS_TIMEOUT_SECONDS: "0.5",
      TOKEN_CACHE_KB: "0",
    });
    expect(config.clientIds).toEqual(["a1", "b2"]);
    expect(config.jwksUri.href).toBe("http://127.0.0.1:1/keys");
    expect(config.publicPaths).toEqual([{ path: "/health", prefix: false }, { path: "/public", prefix: true }]);
    expect(config.fallback).toEqual({ public: false, groups: ["admin", "ops"], scopes: ["api/read"] });
    expect(config.corsAllowedOrigins).toEqual(["https://app.example", "http://localhost:5173"]);
    expect([config.jwksCacheMs, config.jwksCooldownMs, config.jwksTimeoutMs]).toEqual([60_000, 0, 500]);
    expect(config.tokenCacheBytes).toBe(0);
  });

  const bad: Array<[string, Record<string, unknown>]> = [
    ["COGNITO_USER_POOL_ID", { ...VALID, COGNITO_USER_POOL_ID: "not-a-pool" }],
    ["COGNITO_USER_POOL_ID", { ...VALID, COGNITO_USER_POOL_ID: "us-east-1_" }],
    ["COGNITO_USER_POOL_ID", { ...VALID, COGNITO_USER_POOL_ID: "us-east-1_abc/../x" }],
    ["COGNITO_USER_POOL_ID", { COGNITO_CLIENT_ID: "a", ORIGIN_URL: "https://o.example" }],
    ["COGNITO_ISSUER", { ...VALID, COGNITO_ISSUER: "cognito-local" }],
    ["COGNITO_ISSUER", { ...VALID, COGNITO_ISSUER: "ftp://127.0.0.1/pool" }],
    ["COGNITO_CLIENT_ID", { ...VALID, COGNITO_CLIENT_ID: "" }],
    ["COGNITO_CLIENT_ID", { ...VALID, COGNITO_CLIENT_ID: " , " }],
    ["COGNITO_CLIENT_ID", { ...VALID, COGNITO_CLIENT_ID: "abc,def ghi" }],
    ["COGNITO_CLIENT_ID", { COGNITO_USER_POOL_ID: VALID.COGNITO_USER_POOL_ID, ORIGIN_URL: VALID.ORIGIN_URL }],
    ["ORIGIN_URL", { ...VALID, ORIGIN_URL: undefined }],
    ["ORIGIN_URL", { ...VALID, ORIGIN_URL: "api.internal.example" }],
    ["ORIGIN_URL", { ...VALID, ORIGIN_URL: "file:///etc/passwd" }],
    ["ORIGIN_URL", { ...VALID, ORIGIN_URL: "https://user:pw@api.example" }],
    ["ORIGIN_URL", { ...VALID, ORIGIN_URL: "https://api.example/?a=1" }],
    ["ORIGIN_URL", { ...VALID, ORIGIN_URL: 42 }],
    ["JWKS_URI", { ...VALID, JWKS_URI: "keys.json" }],
    ["PUBLIC_PATHS", { ...VALID, PUBLIC_PATHS: "status" }],
    ["PUBLIC_PATHS", { ...VALID, PUBLIC_PATHS: "/a,,/b" }],
    ["PUBLIC_PATHS", { ...VALID, PUBLIC_PATHS: "/a*b" }],
    ["REQUIRED_GROUPS", { ...VALID, REQUIRED_GROUPS: "admin,,ops" }],
    ["REQUIRED_SCOPES", { ...VALID, REQUIRED_SCOPES: ",x" }],
    ["CORS_ALLOWED_ORIGINS", { ...VALID, CORS_ALLOWED_ORIGINS: "*" }],
    ["CORS_ALLOWED_ORIGINS", { ...VALID, CORS_ALLOWED_ORIGINS: "https://app.example/path" }],
    ["JWKS_CACHE_SECONDS", { ...VALID, JWKS_CACHE_SECONDS: "ten" }],
    ["JWKS_CACHE_SECONDS", { ...VALID, JWKS_CACHE_SECONDS: "0" }],
    ["JWKS_COOLDOWN_SECONDS", { ...VALID, JWKS_COOLDOWN_SECONDS: "-1" }],
    ["JWKS_TIMEOUT_SECONDS", { ...VALID, JWKS_TIMEOUT_SECONDS: "Infinity" }],
    ["TOKEN_CACHE_KB", { ...VALID, TOKEN_CACHE_KB: "-1" }],
    ["TOKEN_CACHE_KB", { ...VALID, TOKEN_CACHE_KB: "1.5" }],
    ["REVOCATION_CHECK_PATHS", { ...VALID, REVOCATION_CHECK_PATHS: "account" }],
    ["REVOCATION_CHECK_SECONDS", { ...VALID, REVOCATION_CHECK_SECONDS: "-1" }],
    ["COGNITO_ENDPOINT", { ...VALID, REVOCATION_CHECK_PATHS: "/a", COGNITO_ENDPOINT: "http://cognito.example/" }],
    ["COGNITO_ENDPOINT", { ...VALID, REVOCATION_CHECK_PATHS: "/a", COGNITO_ENDPOINT: "https://cognito.example/?x=1" }],
    ["SHARED_CACHE_PATHS", { ...VALID, SHARED_CACHE_PATHS: "/a/%25" }],
  ];

  for (const [setting, env] of bad) {
    it(`names ${setting} when it is ${JSON.stringify(env[setting]) ?? "missing"}`, () => {
      const error = failure(env);
      expect(error.message.startsWith(setting)).toBe(true);
      const value = env[setting];
      if (typeof value === "string" && value.length > 3) expect(error.message).not.toContain(value);
    });
  }
});
