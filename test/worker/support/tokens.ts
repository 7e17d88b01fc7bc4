/**
 * Tokens the tests forge with keys they make themselves, byte by byte where a case needs a
 * malformed header or payload.
 */
import { createHmac, createSign, generateKeyPairSync, randomUUID } from "node:crypto";
import { base64url, decodeJwt, exportJWK, generateKeyPair, SignJWT } from "jose";
import type { JWK } from "jose";

export interface Signer {
  readonly kid: string;
  /** Public half as served by the key set (with `kid`, `alg`, `use: "sig"`). */
  readonly jwk: JWK;
  sign(input: Uint8Array): Promise<Uint8Array>;
}

/** An RS256 key pair of `modulusLength` bits (default 2048). */
export async function rsaSigner(kid = `kid-${randomUUID()}`, modulusLength = 2048): Promise<Signer> {
  if (modulusLength < 2048) {
    // WebCrypto and jose refuse to make small keys; node:crypto still can.
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength });
    const jwk = { ...(publicKey.export({ format: "jwk" }) as JWK), kid, alg: "RS256", use: "sig" };
    return { kid, jwk, sign: async (input) => new Uint8Array(createSign("sha256").update(input).sign(privateKey)) };
  }
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true, modulusLength });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return {
    kid,
    jwk,
    sign: async (input) => new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", privateKey, input as BufferSource)),
  };
}

type Part = Record<string, unknown> | string | Uint8Array;

function encodePart(part: Part): string {
  if (part instanceof Uint8Array) return base64url.encode(part);
  return base64url.encode(typeof part === "string" ? part : JSON.stringify(part));
}

/** `header.payload.signature` with the signature made by `signer` over exactly these bytes. */
export async function compact(header: Part, payload: Part, signer: Signer): Promise<string> {
  const input = `${encodePart(header)}.${encodePart(payload)}`;
  const signature = await signer.sign(new TextEncoder().encode(input));
  return `${input}.${base64url.encode(signature)}`;
}

/** Claims of a well-formed Cognito access token for `issuer` and `clientId`, valid for an hour. */
export function accessClaims(issuer: string, clientId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: randomUUID(),
    iss: issuer,
    client_id: clientId,
    token_use: "access",
    scope: "aws.cognito.signin.user.admin",
    auth_time: now,
    iat: now,
    exp: now + 3600,
    jti: randomUUID(),
    username: "mallory",
    "cognito:groups": ["users"],
    ...extra,
  };
}

/** A correctly formed RS256 token signed by `signer`. */
export function forge(signer: Signer, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return compact({ alg: "RS256", kid: signer.kid, typ: "JWT", ...header }, claims, signer);
}

/** A token signed with jose in another algorithm, and the JWK that verifies it. */
export async function otherAlgorithm(alg: "RS512" | "PS256" | "ES256", claims: Record<string, unknown>): Promise<{ token: string; jwk: JWK }> {
  const kid = `kid-${alg}-${randomUUID()}`;
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  const token = await new SignJWT(claims).setProtectedHeader({ alg, kid, typ: "JWT" }).sign(privateKey);
  return { token, jwk };
}

/** An HS256 token whose HMAC secret is `secret` (e.g. the pool's public key). */
export function hmacToken(header: Record<string, unknown>, claims: Record<string, unknown>, secret: string | Buffer): string {
  const input = `${encodePart({ alg: "HS256", ...header })}.${encodePart(claims)}`;
  return `${input}.${base64url.encode(createHmac("sha256", secret).update(input).digest())}`;
}

/** Decodes a token's payload without checking it (test side only). */
export function payloadOf(token: string): Record<string, any> {
  return decodeJwt(token);
}
