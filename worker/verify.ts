/**
 * Cognito access-token verification.
 *
 * Cheap checks come first and need neither a key nor crypto (RFC 8725 §3.1, §3.11): size, three
 * base64url segments, strict UTF-8 JSON objects without prototype keys, `alg` exactly RS256, a
 * string `kid`, no `crit` and no `b64` (we understand no extension, RFC 7515 §4.1.11). Then the
 * signature: jose's remote key set finds the key for the `kid` (RSA, `use` "sig", an `alg` that
 * is RS256 if stated) and imports it once; the key must hold 2048 bits or more (RFC 7518 §3.3);
 * one `crypto.subtle.verify` with RSASSA-PKCS1-v1_5/SHA-256 checks the signing input. `jku`,
 * `x5u`, `jwk` and `x5c` are never looked at. Last, the claims of the payload already parsed by
 * the precheck: the exact issuer, `exp`/`nbf`/`iat` as numbers within the clock tolerance
 * (RFC 7519 §4.1.4-6), and Cognito's own rules as aws-jwt-verify spells them: `token_use` is
 * "access" and `client_id` is one of ours.
 *
 * Why not jose's `compactVerify`/`jwtVerify` for the last step: with the algorithm pinned and the
 * header already checked here, they redo the header parse, decode the payload a second time and
 * re-check the key on every call, which in workerd cost most of what the verifier adds to the
 * signature check itself (issue 6; `npx tsx bench/profile-isolate.ts verify` shows it).
 */
import { base64url } from "jose";
import type { JWTPayload } from "jose";
import type { Config } from "./config.ts";
import { GateError } from "./errors.ts";
import type { KeySet } from "./jwks.ts";

/**
 * What the origin learns about the caller, from verified claims only. A user's token names the
 * user (`sub`, `username`, groups); a machine client's (the client-credentials grant) has no
 * `username`, its `sub` is its own client id, and it belongs to no group.
 */
export type Identity =
  | {
      readonly kind: "user";
      readonly sub: string;
      readonly username: string;
      readonly clientId: string;
      readonly groups: readonly string[];
      readonly scopes: readonly string[];
    }
  | {
      readonly kind: "client";
      readonly clientId: string;
      readonly groups: readonly string[];
      readonly scopes: readonly string[];
    };

/** What a full verification learnt about a token, beyond the identity. */
export interface Verified {
  readonly identity: Identity;
  readonly kid: string;
  /** The token is not accepted from the cache before this (ms since the epoch: `nbf`, `iat`). */
  readonly fromMs: number;
  /** …nor from this on (`exp`, no tolerance). */
  readonly expMs: number;
}

/** Longer tokens are refused unread: Cognito access tokens are about 1 KB. */
const MAX_TOKEN_LENGTH = 8192;
/** Seconds of clock skew allowed on `exp`, `nbf` and `iat` (RFC 7519 §4.1.4 "small leeway"). */
const CLOCK_TOLERANCE_SECONDS = 5;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BEARER = /^Bearer +(\S*)$/i;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
/** Text that might hold a forbidden key, spelt out or escaped: only it pays for the reviver. */
const MAYBE_FORBIDDEN = /__proto__|constructor|prototype|\\/;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

const malformed = () => new GateError("token_malformed", "The access token is malformed");
const invalid = (message = "The access token is invalid") => new GateError("token_invalid", message);

/** The bearer token of a request (RFC 6750 §2.1), or a `token_missing`/`token_malformed` error. */
export function readBearerToken(request: Request): string {
  const header = request.headers.get("authorization")?.trim();
  if (header === undefined) throw new GateError("token_missing", "An access token is required");
  const match = BEARER.exec(header);
  // Another scheme is no bearer credentials at all (RFC 6750 §3.1).
  if (!match && !/^Bearer(\s|$)/i.test(header)) throw new GateError("token_missing", "An access token is required");
  // Two Authorization headers arrive joined by ", ", which the charset check below refuses.
  const token = match?.[1];
  if (!token) throw malformed();
  return token;
}

function rejectForbiddenKeys(key: string, item: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw malformed();
  return item;
}

/** base64url → strict UTF-8 (SECURITY 8) → JSON object. */
function decodeSegment(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    const text = strictUtf8.decode(base64url.decode(segment));
    value = MAYBE_FORBIDDEN.test(text) ? JSON.parse(text, rejectForbiddenKeys) : JSON.parse(text);
  } catch {
    throw malformed();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed();
  return value as Record<string, unknown>;
}

interface Parts {
  kid: string;
  payload: JWTPayload;
  /** The two first segments and the dot between them, as the signature covers them. */
  signingInput: string;
  signature: string;
}

/** The header's checks (RS256, no extension, a usable `kid`); its `kid`. */
function headerKid(segment: string): string {
  const protectedHeader = decodeSegment(segment);
  if (protectedHeader.alg !== "RS256") throw invalid("The token must be signed with RS256");
  // No extension is understood, so any `crit` is refused (RFC 7515 §4.1.11); an RFC 7797
  // unencoded payload (`b64`) is no JWT.
  if ("crit" in protectedHeader || "b64" in protectedHeader) throw invalid("The token uses a header extension");
  const { kid } = protectedHeader;
  if (typeof kid !== "string" || kid.length === 0 || kid.length > 256) throw invalid("The token has no usable kid");
  return kid;
}

/**
 * Header segments that passed `headerKid`, and their `kid`. A pool signs every token with the
 * same header for a given key, so this holds a handful; it is emptied when full, never grows.
 * A header segment is the exact bytes checked, so a hit is the check's own answer.
 */
const checkedHeaders = new Map<string, string>();
const CHECKED_HEADERS_MAX = 16;

/** Shape checks that cost no crypto and no key-set fetch; the parts the signature check needs. */
function precheck(token: string): Parts {
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw malformed();
  const first = token.indexOf(".");
  const second = token.indexOf(".", first + 1);
  const header = token.slice(0, first);
  let kid = checkedHeaders.get(header);
  if (kid === undefined) {
    kid = headerKid(header);
    if (checkedHeaders.size >= CHECKED_HEADERS_MAX) checkedHeaders.clear();
    checkedHeaders.set(header, kid);
  }
  const payload = decodeSegment(token.slice(first + 1, second));
  return { kid, payload, signingInput: token.slice(0, second), signature: token.slice(second + 1) };
}

const RSA_SHA256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
/** Keys already found to be RS256 keys of 2048 bits or more (jose hands back the same CryptoKey). */
const strongKeys = new WeakSet<CryptoKey>();

function checkKey(key: CryptoKey): void {
  if (strongKeys.has(key)) return;
  const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm>;
  const usable = algorithm.name === RSA_SHA256.name && algorithm.hash?.name === RSA_SHA256.hash && (algorithm.modulusLength ?? 0) >= 2048;
  if (!usable) throw invalid();
  strongKeys.add(key);
}

const ascii = new TextEncoder();

/** The signature check: the pool's key for `kid`, RS256, nothing taken from the token but the kid. */
async function checkSignature({ kid, signingInput, signature }: Parts, keys: KeySet): Promise<void> {
  let verified: boolean;
  try {
    const key = await keys({ alg: "RS256", kid }, { payload: "", signature });
    checkKey(key);
    verified = await crypto.subtle.verify(RSA_SHA256, key, base64url.decode(signature) as Uint8Array<ArrayBuffer>, ascii.encode(signingInput));
  } catch (error) {
    throw error instanceof GateError ? error : invalid();
  }
  if (!verified) throw invalid();
}

function numericDate(payload: JWTPayload, name: "exp" | "nbf" | "iat"): number | undefined {
  const value = payload[name];
  // `1e999` is valid JSON and parses to Infinity: an exp that never comes (RFC 7519 §2 NumericDate).
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) throw invalid(`The ${name} claim is not a number`);
  return value;
}

/** The registered claims (RFC 7519 §4.1): exact issuer, required `exp`, times within the tolerance. */
function registeredClaims(payload: JWTPayload, config: Config, nowSeconds: number): { exp: number; from: number } {
  if (payload.iss !== config.issuer) throw invalid("The iss claim is not the expected issuer");
  const exp = numericDate(payload, "exp");
  const nbf = numericDate(payload, "nbf");
  const iat = numericDate(payload, "iat");
  if (exp === undefined) throw invalid("The exp claim is missing");
  if (exp <= nowSeconds - CLOCK_TOLERANCE_SECONDS) throw new GateError("token_expired", "The access token has expired");
  if (nbf !== undefined && nbf > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw invalid("The token is not valid yet");
  if (iat !== undefined && iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw invalid("The token was issued in the future");
  return { exp, from: Math.max(nbf ?? 0, iat ?? 0) };
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

/**
 * Cognito's rules for an access token, then who it speaks for. A token without `username` is a
 * machine client's only when its `sub` is its own `client_id` and it names no group, as the
 * client-credentials grant issues them; anything else without `username` is refused.
 */
function cognitoRules(payload: JWTPayload, config: Config): Identity {
  if (payload.token_use !== "access") throw invalid("The token is not an access token");
  const clientId = stringClaim(payload, "client_id");
  if (!config.clientIds.includes(clientId)) throw invalid("The token was issued to another client");
  const scope = payload.scope;
  if (scope !== undefined && typeof scope !== "string") throw invalid("The scope claim is not a string");
  const scopes = scope ? scope.split(" ").filter(Boolean) : [];
  const sub = stringClaim(payload, "sub");
  const groups = stringList(payload, "cognito:groups");
  if (payload.username === undefined) {
    if (sub !== clientId || groups.length > 0) throw invalid("The username claim is missing or not a string");
    return { kind: "client", clientId, groups, scopes };
  }
  return { kind: "user", sub, username: stringClaim(payload, "username"), clientId, groups, scopes };
}

/**
 * Verifies a Cognito access token; resolves to the caller's identity and what the verified-token
 * cache needs (kid, validity window), or throws a GateError.
 */
export async function verifyToken(token: string, config: Config, keys: KeySet, now: number): Promise<Verified> {
  const parts = precheck(token);
  await checkSignature(parts, keys);
  const { payload, kid } = parts;
  const { exp, from } = registeredClaims(payload, config, Math.floor(now / 1000));
  return { identity: cognitoRules(payload, config), kid, fromMs: from * 1000, expMs: exp * 1000 };
}
