/**
 * Cognito-shaped access tokens for the gate benchmarks, signed here with a 2048-bit RSA key whose
 * key set the bench serves itself: cognito-local signs one token per sign-in round trip, too slow
 * for thousands of distinct tokens. The claims are those of a real Cognito access token.
 */
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";

const BENCH_KID = "bench-rs256-2048";
export const BENCH_POOL = "us-east-1_BenchPool";
const BENCH_CLIENT = "benchclientid0000000000000";

export interface KeySet {
  kid: string;
  issuer: string;
  clientId: string;
  jwks: { keys: JWK[] };
  privateKey: CryptoKey;
}

export async function createKeySet(issuer: string): Promise<KeySet> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: BENCH_KID, alg: "RS256", use: "sig" };
  return { kid: BENCH_KID, issuer, clientId: BENCH_CLIENT, jwks: { keys: [jwk] }, privateKey };
}

interface TokenOptions {
  /** One header kid per token; defaults to the key set's. */
  kid?: () => string;
}

async function signAccessToken(keys: KeySet, n: number, options: TokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    "cognito:groups": ["users"],
    version: 2,
    client_id: keys.clientId,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    token_use: "access",
    scope: "aws.cognito.signin.user.admin",
    auth_time: now,
    username: `bench-user-${n}`,
  })
    .setProtectedHeader({ alg: "RS256", kid: options.kid?.() ?? keys.kid })
    .setSubject(randomUUID())
    .setIssuer(keys.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .setJti(randomUUID())
    .sign(keys.privateKey);
}

/** Signs `count` distinct tokens, a few at a time so Node's crypto thread pool uses both cores. */
export async function signMany(keys: KeySet, count: number, options: TokenOptions = {}): Promise<string[]> {
  const tokens: string[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      tokens[i] = await signAccessToken(keys, i, options);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return tokens;
}

/** Same header and claims, signature bytes changed: verification must fail. */
export function badSignature(token: string): string {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const bytes = Buffer.from(signature, "base64url");
  bytes[bytes.length >> 1]! ^= 0xff;
  return `${header}.${payload}.${bytes.toString("base64url")}`;
}

export const MALFORMED_TOKENS = ["not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30", "....", "eyJ%%%.eyJ.sig"];

export function randomKid(): string {
  return `random-${randomUUID()}`;
}
