/**
 * Cognito's USER_SRP_AUTH, client side: SRP-6a over the RFC 5054 3072-bit group with SHA-256,
 * on native BigInt and Web Crypto only, so it runs the same in browsers and in Node 20.
 *
 * Every value is hashed as Cognito hashes it, which is how amazon-cognito-identity-js's
 * AuthenticationHelper encodes it (`padHex`: the minimal two's-complement bytes of the integer,
 * Java's `BigInteger.toByteArray()`); test/auth/srp.test.ts proves them equal byte for byte.
 */

/** RFC 5054 appendix A, the 3072-bit group (also RFC 3526 section 4); generator 2. */
const N = BigInt(
  "0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const G = 2n;

/** Byte arrays Web Crypto accepts (backed by an ArrayBuffer, not a SharedArrayBuffer). */
type Bytes = Uint8Array<ArrayBuffer>;

/** The HKDF info Cognito uses for the password authentication key. */
const HKDF_INFO = new TextEncoder().encode("Caldera Derived Key\u0001");

/** Starts a sign-in: a fresh random a (or the given one, for tests) and A = g^a mod N. */
export async function srpStart(smallA?: bigint): Promise<SrpStart> {
  const a = smallA ?? randomSmallA();
  if (a <= 0n) throw new Error("SRP: the secret exponent a must be positive");
  const A = powOfTwo(a);
  // Like the SDK: plain lowercase hex, no padding (the server parses it as a number).
  return { a, A, srpA: A.toString(16) };
}

export interface SrpStart {
  readonly a: bigint;
  readonly A: bigint;
  /** A as the hex string sent as SRP_A */
  readonly srpA: string;
}

/** Answers PASSWORD_VERIFIER. poolName is the part of the pool id after "_"; userIdForSrp is USER_ID_FOR_SRP from the challenge. */
export async function passwordVerifier(input: {
  start: SrpStart;
  poolName: string;
  userIdForSrp: string;
  password: string;
  srpB: string;
  salt: string;
  secretBlock: string;
  now?: Date;
}): Promise<{ readonly signature: string; readonly timestamp: string }> {
  const { start, poolName, userIdForSrp } = input;
  const key = await passwordAuthenticationKey(start, poolName, userIdForSrp, input.password, input.srpB, input.salt);
  const timestamp = cognitoTimestamp(input.now ?? new Date());
  const message = concat(utf8(poolName), utf8(userIdForSrp), base64Decode(input.secretBlock), utf8(timestamp));
  return { signature: base64Encode(await hmac(key, message)), timestamp };
}

/** The 16-byte key both sides derive from the shared secret S (the SDK's getPasswordAuthenticationKey). */
async function passwordAuthenticationKey(
  start: SrpStart,
  poolName: string,
  userId: string,
  password: string,
  srpB: string,
  salt: string,
): Promise<Bytes> {
  const B = parseHex("SRP_B", srpB);
  // SRP-6a (RFC 5054 section 2.5.4): a B that is 0 mod N would make S known to anyone.
  if (mod(B, N) === 0n) throw new Error("SRP: the server sent an invalid SRP_B (0 mod N)");
  const u = bytesToBigInt(await sha256(hexToBytes(padHex(start.A) + padHex(B))));
  if (u === 0n) throw new Error("SRP: the scrambling parameter u is 0");
  const identity = await sha256(utf8(`${poolName}${userId}:${password}`));
  const x = bytesToBigInt(await sha256(concat(hexToBytes(padHex(parseHex("SALT", salt))), identity)));
  const base = mod(B - (await multiplierK()) * powOfTwo(x), N);
  const S = modPow(base, start.a + u * x, N);
  return hkdf(hexToBytes(padHex(S)), hexToBytes(padHex(u)));
}

let k: Promise<bigint> | undefined;

/** k = H(N | PAD(g)), hashing both with padHex as the SDK does (not RFC 5054's PAD to |N|). */
function multiplierK(): Promise<bigint> {
  k ??= sha256(hexToBytes(padHex(N) + padHex(G))).then(bytesToBigInt);
  return k;
}

/** "ddd MMM D HH:mm:ss UTC YYYY" in English, UTC, day of month not padded: the SDK's getNowString. */
function cognitoTimestamp(date: Date): string {
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][date.getUTCDay()];
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][date.getUTCMonth()];
  const two = (n: number) => String(n).padStart(2, "0");
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${day} ${month} ${date.getUTCDate()} ${time} UTC ${date.getUTCFullYear()}`;
}

/**
 * The SDK's padHex: even-length hex of the two's-complement encoding, so a positive value whose
 * top bit is set gets a "00" byte and a negative one is written as its complement ("ff14" for -236).
 * Only hashed, never sent; negatives reach it only through a "-" in SRP_B or SALT.
 */
function padHex(n: bigint): string {
  if (n >= 0n) {
    let hex = n.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
  }
  // The fewest bytes whose sign bit is set: -n fits in 8·len - 1 bits of magnitude.
  let bytes = 1;
  while (-n > 1n << BigInt(8 * bytes - 1)) bytes++;
  return ((1n << BigInt(8 * bytes)) + n).toString(16).padStart(2 * bytes, "0");
}

/** Hex as Cognito sends it; the SDK's parser also takes a leading "-", so this does too. */
function parseHex(name: string, hex: string): bigint {
  const match = /^(-?)([0-9a-fA-F]+)$/.exec(hex);
  if (!match) throw new Error(`SRP: ${name} is not a hex number`);
  const value = BigInt(`0x${match[2]}`);
  return match[1] ? -value : value;
}

function mod(n: bigint, m: bigint): bigint {
  const r = n % m;
  return r < 0n ? r + m : r;
}

/** 2^e mod N, left to right: multiplying by the generator 2 is a shift, so only the squarings cost. */
function powOfTwo(e: bigint): bigint {
  let r = 1n;
  for (const bit of e.toString(2)) {
    r = (r * r) % N;
    if (bit === "1") {
      r <<= 1n;
      if (r >= N) r -= N;
    }
  }
  return r;
}

const WINDOW = 5;

/** base^e mod m with a sliding window (HAC 14.85): about one multiplication per WINDOW + 1 bits. */
function modPow(base: bigint, e: bigint, m: bigint): bigint {
  // Odd powers base^1, base^3, … base^(2^WINDOW - 1).
  const odd: bigint[] = [base % m];
  const square = (base * base) % m;
  for (let i = 1; i < 1 << (WINDOW - 1); i++) odd.push((odd[i - 1]! * square) % m);

  const bits = e.toString(2);
  let r = 1n;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === "0") {
      r = (r * r) % m;
      i++;
      continue;
    }
    // The longest window starting here that ends on a 1 bit.
    let end = Math.min(i + WINDOW, bits.length);
    while (bits[end - 1] === "0") end--;
    const value = parseInt(bits.slice(i, end), 2);
    for (let j = i; j < end; j++) if (r !== 1n) r = (r * r) % m;
    r = (r * odd[value >> 1]!) % m;
    i = end;
  }
  return r;
}

function randomSmallA(): bigint {
  // 128 random bytes, as the SDK: far below N, so no reduction mod N - 1 is needed.
  return bytesToBigInt(crypto.getRandomValues(new Uint8Array(128)));
}

async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

async function hmac(key: Bytes, data: Bytes): Promise<Bytes> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, data));
}

/** RFC 5869 HKDF-SHA256 cut to the one 16-byte block Cognito uses: T(1) = HMAC(PRK, info | 0x01). */
async function hkdf(ikm: Bytes, salt: Bytes): Promise<Bytes> {
  const prk = await hmac(salt, ikm);
  return (await hmac(prk, HKDF_INFO)).slice(0, 16);
}

function bytesToBigInt(bytes: Bytes): bigint {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex ? BigInt(`0x${hex}`) : 0n;
}

function hexToBytes(hex: string): Bytes {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function utf8(text: string): Bytes {
  return new TextEncoder().encode(text);
}

function concat(...parts: Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Decodes SECRET_BLOCK as the SDK does (Node's Buffer, base64): the URL-safe alphabet is accepted,
 * anything else outside the alphabet is skipped, decoding stops at padding. Cognito sends plain
 * base64; emulators send other strings (moto: a UUID), which must sign the same as with the SDK.
 */
function base64Decode(text: string): Bytes {
  let clean = text.split("=")[0]!.replace(/-/g, "+").replace(/_/g, "/").replace(/[^A-Za-z0-9+/]/g, "");
  if (clean.length % 4 === 1) clean = clean.slice(0, -1);
  const binary = atob(clean + "=".repeat((4 - (clean.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function base64Encode(bytes: Bytes): string {
  return btoa(String.fromCharCode(...bytes));
}
