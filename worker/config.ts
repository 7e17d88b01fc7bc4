/**
 * Gate configuration from environment variables, validated once.
 *
 * `parseConfig` throws a `GateError("config_invalid")` whose message names the setting at fault and
 * never echoes its value. Settings:
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `COGNITO_USER_POOL_ID` | `<region>_<id>`; the issuer is `https://cognito-idp.<region>.amazonaws.com/<id>` | required unless `COGNITO_ISSUER` |
 * | `COGNITO_ISSUER` | exact `iss` to accept (overrides the derived one; for cognito-local) | derived |
 * | `COGNITO_CLIENT_ID` | comma list of app client ids accepted in `client_id` | required |
 * | `ORIGIN_URL` | http(s) URL of the origin; its path, if any, prefixes every forwarded path | required |
 * | `JWKS_URI` | where the key set lives | `<issuer>/.well-known/jwks.json` |
 * | `PUBLIC_PATHS` | comma list; `/a/b` matches exactly, `/a/*` matches `/a` and everything under `/a/` | none |
 * | `REQUIRED_GROUPS` | comma list; the token must be in at least one (`cognito:groups`) | none |
 * | `REQUIRED_SCOPES` | comma list; the token's `scope` must hold every one | none |
 * | `ROUTE_POLICIES` | per-route rules, first match wins (worker/policy.ts); then `PUBLIC_PATHS`, then the two above | none |
 * | `REVOCATION_CHECK_PATHS` | comma list of patterns where Cognito is asked whether the token is still live (worker/revocation.ts) | none |
 * | `REVOCATION_CHECK_SECONDS` | how long one answer of Cognito's is reused for a token (never past its `exp`); 0 asks every time | 30 |
 * | `COGNITO_ENDPOINT` | Cognito's API for those checks (`https:`, or `http:` on loopback for an emulator) | `https://cognito-idp.<region>.amazonaws.com/`, the region from the pool id or the issuer |
 * | `SHARED_CACHE_PATHS` | comma list of patterns whose authenticated answers keep the origin's `Cache-Control` as it is; elsewhere it is made `private` | none |
 * | `CORS_ALLOWED_ORIGINS` | comma list of exact origins (`https://app.example`) | none |
 * | `JWKS_CACHE_SECONDS` | how long a fetched key set is trusted | 600 |
 * | `JWKS_COOLDOWN_SECONDS` | minimum time between refetches caused by an unknown `kid` | 30 |
 * | `JWKS_TIMEOUT_SECONDS` | key-set fetch timeout | 5 |
 * | `TOKEN_CACHE_KB` | memory for verified tokens per isolate (worker/token-cache.ts); 0 verifies every request | 8192 |
 * | `ORIGIN_SECRET` | sent to the origin as `X-Gate-Secret` on every forwarded request, so it can refuse anything that did not come through the gate; at least 32 visible ASCII characters; set it as a secret (`wrangler secret put ORIGIN_SECRET`) | none |
 */
import { GateError } from "./errors.ts";
import { parsePattern } from "./paths.ts";
import type { PathPattern } from "./paths.ts";
import { parseRoutePolicies } from "./policy.ts";
import type { PolicySettings, Rule } from "./policy.ts";

export interface Config extends PolicySettings {
  readonly issuer: string;
  readonly jwksUri: URL;
  readonly clientIds: readonly string[];
  /** `ORIGIN_URL` parsed; only its origin and path are used. */
  readonly originUrl: URL;
  /** `REQUIRED_GROUPS`/`REQUIRED_SCOPES`: the rule of a path no policy or public path matches. */
  readonly fallback: Rule & { readonly public: false };
  readonly revocationCheckPaths: readonly PathPattern[];
  readonly revocationCheckMs: number;
  /** Cognito's API endpoint for `GetUser`, or undefined when no path is checked. */
  readonly cognitoEndpoint: URL | undefined;
  readonly sharedCachePaths: readonly PathPattern[];
  readonly corsAllowedOrigins: readonly string[];
  readonly jwksCacheMs: number;
  readonly jwksCooldownMs: number;
  readonly jwksTimeoutMs: number;
  /** Bytes of verified tokens kept per isolate; 0 turns the cache off. */
  readonly tokenCacheBytes: number;
  /** `X-Gate-Secret` value for every upstream request, or undefined to send none. */
  readonly originSecret: string | undefined;
}

/** What an entry hands to `parseConfig`: Workers `env`, `Deno.env.toObject()` or `process.env`. */
export type Env = Readonly<Record<string, unknown>>;

const POOL_ID = /^([a-z]{2,}(?:-[a-z0-9]+)*)_([0-9A-Za-z]+)$/;
/** Cognito's ClientId pattern is `[\w+]+`. */
const CLIENT_ID = /^[\w+]+$/;

function invalid(setting: string, rule: string): never {
  throw new GateError("config_invalid", `${setting} ${rule}`);
}

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") invalid(name, "must be a string");
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function list(env: Env, name: string): string[] {
  const value = text(env, name);
  if (value === undefined) return [];
  const items = value.split(",").map((item) => item.trim());
  if (items.some((item) => item === "")) invalid(name, "must be a comma-separated list without empty entries");
  return items;
}

function httpUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid(name, "must be an absolute http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") invalid(name, "must be an absolute http(s) URL");
  if (url.username || url.password) invalid(name, "must not carry credentials");
  return url;
}

function seconds(env: Env, name: string, fallback: number, min: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback * 1000;
  const number = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(number) || number < min) {
    invalid(name, `must be a number of seconds, at least ${min}`);
  }
  return Math.round(number * 1000);
}

function kilobytes(env: Env, name: string, fallback: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback * 1024;
  if (!/^\d{1,7}$/.test(value)) invalid(name, "must be a whole number of kilobytes");
  return Number(value) * 1024;
}

function issuerFrom(env: Env): string {
  const poolId = text(env, "COGNITO_USER_POOL_ID");
  const override = text(env, "COGNITO_ISSUER");
  const match = poolId === undefined ? undefined : POOL_ID.exec(poolId);
  if (poolId !== undefined && !match) invalid("COGNITO_USER_POOL_ID", "must look like <region>_<id>, e.g. eu-central-1_Example1");
  if (override !== undefined) {
    const url = httpUrl("COGNITO_ISSUER", override);
    if (url.search || url.hash) invalid("COGNITO_ISSUER", "must not have a query or fragment");
    // Compared verbatim with `iss`, so keep exactly what was configured.
    return override;
  }
  if (!match) return invalid("COGNITO_USER_POOL_ID", "is required (or set COGNITO_ISSUER)");
  return `https://cognito-idp.${match[1]}.amazonaws.com/${poolId}`;
}

function patterns(env: Env, name: string): PathPattern[] {
  return list(env, name).map((entry) => parsePattern(entry) ?? invalid(name, "entries must be absolute paths like /health or /public/*"));
}

/** Loopback hosts, where plain http never leaves the machine. */
function isLoopback(url: URL): boolean {
  return url.hostname === "localhost" || url.hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}

/**
 * Where `GetUser` goes: `COGNITO_ENDPOINT`, else the regional endpoint of the pool (from
 * `COGNITO_USER_POOL_ID`, or from an AWS-form `COGNITO_ISSUER`). The access token travels in the
 * body, so plain http is refused except on loopback.
 */
function cognitoEndpoint(env: Env, issuer: string): URL | undefined {
  const value = text(env, "COGNITO_ENDPOINT");
  if (value !== undefined) {
    const url = httpUrl("COGNITO_ENDPOINT", value);
    if (url.search || url.hash) invalid("COGNITO_ENDPOINT", "must not have a query or fragment");
    if (url.protocol === "http:" && !isLoopback(url)) invalid("COGNITO_ENDPOINT", "must be https: (http: only on loopback)");
    return url;
  }
  const aws = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/[^/]+$/.exec(issuer);
  return aws ? new URL(`https://cognito-idp.${aws[1]}.amazonaws.com/`) : undefined;
}

function origins(env: Env): string[] {
  return list(env, "CORS_ALLOWED_ORIGINS").map((entry) => {
    const url = httpUrl("CORS_ALLOWED_ORIGINS", entry);
    if (url.origin !== entry.replace(/\/$/, "")) invalid("CORS_ALLOWED_ORIGINS", "entries must be origins like https://app.example");
    return url.origin;
  });
}

/** At least 32 visible ASCII characters: guessing is out of reach and the value is a valid header value. */
const ORIGIN_SECRET = /^[\x21-\x7e]{32,}$/;

function originSecret(env: Env): string | undefined {
  const value = text(env, "ORIGIN_SECRET");
  if (value !== undefined && !ORIGIN_SECRET.test(value)) invalid("ORIGIN_SECRET", "must be at least 32 visible ASCII characters (e.g. openssl rand -hex 32)");
  return value;
}

export function parseConfig(env: Env): Config {
  const issuer = issuerFrom(env);
  const clientIds = list(env, "COGNITO_CLIENT_ID");
  if (clientIds.length === 0) invalid("COGNITO_CLIENT_ID", "is required (a comma-separated list of app client ids)");
  if (!clientIds.every((id) => CLIENT_ID.test(id))) invalid("COGNITO_CLIENT_ID", "entries must be app client ids");
  const origin = text(env, "ORIGIN_URL");
  if (origin === undefined) invalid("ORIGIN_URL", "is required");
  const originUrl = httpUrl("ORIGIN_URL", origin);
  if (originUrl.search || originUrl.hash) invalid("ORIGIN_URL", "must not have a query or fragment");
  const secret = originSecret(env);
  // The secret proves the gate to the origin: over plain http to another host anyone on the path reads it.
  if (secret !== undefined && originUrl.protocol === "http:" && !isLoopback(originUrl)) {
    invalid("ORIGIN_URL", "must be https: when ORIGIN_SECRET is set (http: only on loopback)");
  }
  const jwks = text(env, "JWKS_URI");
  const revocationCheckPaths = patterns(env, "REVOCATION_CHECK_PATHS");
  const endpoint = revocationCheckPaths.length > 0 ? cognitoEndpoint(env, issuer) : undefined;
  if (revocationCheckPaths.length > 0 && endpoint === undefined) {
    invalid("COGNITO_ENDPOINT", "is required for REVOCATION_CHECK_PATHS when the issuer is not an AWS one");
  }
  return {
    issuer,
    jwksUri: jwks === undefined ? httpUrl("COGNITO_ISSUER", `${issuer}/.well-known/jwks.json`) : httpUrl("JWKS_URI", jwks),
    clientIds,
    originUrl,
    publicPaths: patterns(env, "PUBLIC_PATHS"),
    routePolicies: parseRoutePolicies(text(env, "ROUTE_POLICIES")),
    fallback: { public: false, groups: list(env, "REQUIRED_GROUPS"), scopes: list(env, "REQUIRED_SCOPES") },
    revocationCheckPaths,
    revocationCheckMs: seconds(env, "REVOCATION_CHECK_SECONDS", 30, 0),
    cognitoEndpoint: endpoint,
    sharedCachePaths: patterns(env, "SHARED_CACHE_PATHS"),
    corsAllowedOrigins: origins(env),
    jwksCacheMs: seconds(env, "JWKS_CACHE_SECONDS", 600, 0.1),
    jwksCooldownMs: seconds(env, "JWKS_COOLDOWN_SECONDS", 30, 0),
    jwksTimeoutMs: seconds(env, "JWKS_TIMEOUT_SECONDS", 5, 0.1),
    tokenCacheBytes: kilobytes(env, "TOKEN_CACHE_KB", 8192),
    originSecret: secret,
  };
}
