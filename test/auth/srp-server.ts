/**
 * A user pool's side of USER_SRP_AUTH, written from the protocol (SRP-6a, RFC 5054, as Cognito
 * runs it) with its own math on node:crypto, so the client in components/auth/srp.ts is checked
 * against an independent implementation rather than against itself.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/** RFC 5054 appendix A, 3072-bit group; generator 2. */
export const N = BigInt(
  "0x" +
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const g = 2n;

/** Cognito hashes an integer as its big-endian two's-complement bytes: a leading 0x00 if the top bit is set. */
function toBytes(n: bigint): Buffer {
  const hex = n.toString(16);
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
  return bytes[0]! & 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes;
}

const H = (...parts: Buffer[]): bigint => BigInt(`0x${createHash("sha256").update(Buffer.concat(parts)).digest("hex")}`);
const hmac = (key: Buffer, data: Buffer): Buffer => createHmac("sha256", key).update(data).digest();

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  base %= N;
  for (; exponent > 0n; exponent >>= 1n) {
    if (exponent & 1n) result = (result * base) % N;
    base = (base * base) % N;
  }
  return result;
}

const k = H(toBytes(N), toBytes(g));

/** The verifier a pool stores at sign-up: v = g^x, x = H(salt | H(poolName | userId | ":" | password)). */
function verifier(poolName: string, userId: string, password: string, salt: bigint): bigint {
  const inner = createHash("sha256").update(`${poolName}${userId}:${password}`, "utf8").digest();
  return power(g, H(toBytes(salt), inner));
}

interface Pending {
  userId: string;
  A: bigint;
  B: bigint;
  b: bigint;
  secretBlock: string;
}

export interface SrpChallenge {
  USER_ID_FOR_SRP: string;
  SRP_B: string;
  SALT: string;
  SECRET_BLOCK: string;
}

export interface PasswordClaim {
  USERNAME: string;
  PASSWORD_CLAIM_SECRET_BLOCK: string;
  PASSWORD_CLAIM_SIGNATURE: string;
  TIMESTAMP: string;
}

/** One pool: sign-up stores (salt, verifier) under an internal user id, never the password. */
export class SrpServer {
  readonly #users = new Map<string, { userId: string; salt: bigint; v: bigint }>();
  readonly #pending = new Map<string, Pending>();

  constructor(readonly poolName: string) {}

  signUp(username: string, password: string): void {
    // USER_ID_FOR_SRP differs from what the user typed, as in a pool that signs in by email.
    const userId = randomUUID();
    const salt = BigInt(`0x${randomBytes(16).toString("hex")}`);
    this.#users.set(username, { userId, salt, v: verifier(this.poolName, userId, password, salt) });
  }

  /** InitiateAuth with SRP_A: answers PASSWORD_VERIFIER. */
  initiate(username: string, srpA: string): SrpChallenge {
    const user = this.#users.get(username);
    if (!user) throw new Error("UserNotFoundException");
    const A = BigInt(`0x${srpA}`);
    if (A % N === 0n) throw new Error("InvalidParameterException: SRP_A");
    const b = BigInt(`0x${randomBytes(32).toString("hex")}`);
    const B = (k * user.v + power(g, b)) % N;
    const secretBlock = randomBytes(64).toString("base64");
    this.#pending.set(secretBlock, { userId: user.userId, A, B, b, secretBlock });
    return { USER_ID_FOR_SRP: user.userId, SRP_B: B.toString(16), SALT: user.salt.toString(16), SECRET_BLOCK: secretBlock };
  }

  /** RespondToAuthChallenge: true only when the claim was signed with the key the password yields. */
  respond(claim: PasswordClaim): boolean {
    const pending = this.#pending.get(claim.PASSWORD_CLAIM_SECRET_BLOCK);
    this.#pending.delete(claim.PASSWORD_CLAIM_SECRET_BLOCK);
    const user = [...this.#users.values()].find((u) => u.userId === claim.USERNAME);
    if (!pending || !user || pending.userId !== user.userId) return false;
    if (!/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [1-9]\d? \d\d:\d\d:\d\d UTC \d{4}$/.test(claim.TIMESTAMP)) return false;

    const u = H(toBytes(pending.A), toBytes(pending.B));
    const S = power(pending.A * power(user.v, u), pending.b);
    // HKDF-SHA256 (RFC 5869): salt u, input S, info "Caldera Derived Key", 16 bytes.
    const prk = hmac(toBytes(u), toBytes(S));
    const key = hmac(prk, Buffer.from("Caldera Derived Key\u0001", "utf8")).subarray(0, 16);
    const expected = hmac(
      key,
      Buffer.concat([
        Buffer.from(this.poolName, "utf8"),
        Buffer.from(user.userId, "utf8"),
        Buffer.from(pending.secretBlock, "base64"),
        Buffer.from(claim.TIMESTAMP, "utf8"),
      ]),
    );
    const given = Buffer.from(claim.PASSWORD_CLAIM_SIGNATURE, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
