/**
 * Cognito access-token verification.
 *
 * Cheap checks come first and need neither a key nor crypto (RFC 8725 §3.1, §3.11): size, three
 * base64url segments, strict UTF-8 JSON objects without prototype keys, `alg` exactly RS256, a
 * string `kid`. Then jose verifies the signature against the pool's key set (RS256 only, keys of
 * 2048 bits or more, unknown `crit` refused, `jku`/`x5u`/`jwk`/`x5c` ignored: a remote key set
 * never looks at them), the exact issuer and `exp`/`nbf`. Last, Cognito's own rules, as
 * aws-jwt-verify spells them: `token_use` is "access" and `client_id` is one of ours.
 */
import { base64url, errors, jwtVerify } from "jose";
import type { JWTPayload } from "jose";
import type { Config } from "./config.ts";
import { GateError } from "./errors.ts";
import type { KeySet } from "./jwks.ts";
import type { Verified } from "./token-cache.ts";

/** What the origin learns about the caller, from verified claims only. */
export interface Identity {
  readonly sub: string;
  readonly username: string;
  readonly clientId: string;
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
}

/** Longer tokens are refused unread: Cognito access tokens are about 1 KB. */
export const MAX_TOKEN_LENGTH = 8192;
/** Seconds of clock skew allowed on `exp`, `nbf` and `iat` (RFC 7519 §4.1.4 "small leeway"). */
export const CLOCK_TOLERANCE_SECONDS = 5;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BEARER = /^Bearer +(\S*)$/i;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

const malformed = () => new GateError("token_malformed", "The access token is malformed");
const invalid = (message = "The access token is invalid") => new GateError("token_invalid", message);

/** The bearer token of a request (RFC 6750 §2.1), or a `token_missing`/`token_malformed` error. */
export function readBearerToken(request: Request): string {
  const header = request.headers.get("authorization");
  if (header === null) throw new GateError("token_missing", "An access token is required");
  const match = BEARER.exec(header.trim());
  // Another scheme is no bearer credentials at all (RFC 6750 §3.1).
  if (!match && !/^Bearer(\s|$)/i.test(header.trim())) throw new GateError("token_missing", "An access token is required");
  // Two Authorization headers arrive joined by ", ", which the charset check below refuses.
  const token = match?.[1];
  if (!token) throw malformed();
  return token;
}

function decodeSegment(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(base64url.decode(segment)), (key, item: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw malformed();
      return item;
    });
  } catch {
    throw malformed();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed();
  return value as Record<string, unknown>;
}

/** Shape checks that cost no crypto and no key-set fetch. */
function precheck(token: string): void {
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw malformed();
  const [header, payload] = token.split(".") as [string, string, string];
  const protectedHeader = decodeSegment(header);
  decodeSegment(payload);
  if (protectedHeader.alg !== "RS256") throw invalid("The token must be signed with RS256");
  const { kid } = protectedHeader;
  if (typeof kid !== "string" || kid.length === 0 || kid.length > 256) throw invalid("The token has no usable kid");
}

function stringClaim(payload: JWTPayload, name: string): string {
  const value = payload[name];
  if (typeof value !== "string" || value === "") throw invalid(`The ${name} claim is missing or not a string`);
  return value;
}

function stringList(payload: JWTPayload, name: string): string[] {
  const value = payload[name];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) throw invalid(`The ${name} claim is not a list of strings`);
  return value;
}

function cognitoRules(payload: JWTPayload, config: Config, nowSeconds: number): Identity {
  if (payload.token_use !== "access") throw invalid("The token is not an access token");
  const clientId = stringClaim(payload, "client_id");
  if (!config.clientIds.includes(clientId)) throw invalid("The token was issued to another client");
  if (payload.iat !== undefined && payload.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw invalid("The token was issued in the future");
  const scope = payload.scope;
  if (scope !== undefined && typeof scope !== "string") throw invalid("The scope claim is not a string");
  return {
    sub: stringClaim(payload, "sub"),
    username: stringClaim(payload, "username"),
    clientId,
    groups: stringList(payload, "cognito:groups"),
    scopes: scope ? scope.split(" ").filter(Boolean) : [],
  };
}

/**
 * Verifies a Cognito access token; resolves to the caller's identity and what the verified-token
 * cache needs (kid, validity window), or throws a GateError.
 */
export async function verifyToken(token: string, config: Config, keys: KeySet, now: number): Promise<Verified> {
  precheck(token);
  let payload: JWTPayload;
  let kid: string;
  try {
    const verified = await jwtVerify(token, keys, {
      algorithms: ["RS256"],
      issuer: config.issuer,
      requiredClaims: ["exp", "iss"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now),
    });
    payload = verified.payload;
    kid = verified.protectedHeader.kid as string;
  } catch (error) {
    if (error instanceof GateError) throw error;
    if (error instanceof errors.JWTExpired) throw new GateError("token_expired", "The access token has expired");
    throw invalid();
  }
  const identity = cognitoRules(payload, config, Math.floor(now / 1000));
  return { identity, kid, fromMs: Math.max(payload.nbf ?? 0, payload.iat ?? 0) * 1000, expMs: payload.exp! * 1000 };
}

/** Verifies a Cognito access token; resolves to the caller's identity or throws a GateError. */
export async function verifyAccessToken(token: string, config: Config, keys: KeySet, now: number): Promise<Identity> {
  return (await verifyToken(token, config, keys, now)).identity;
}
