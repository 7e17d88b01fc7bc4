/**
 * What an authenticator app does, for the MFA tests: RFC 6238 TOTP (HMAC-SHA1, 30 s steps,
 * 6 digits, RFC 4226 §5.3 dynamic truncation) over Web Crypto, from the base32 secret Cognito
 * issued (RFC 4648 §6).
 */
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32Decode(secret: string): Uint8Array<ArrayBuffer> {
  let bits = "";
  for (const char of secret.replace(/\s+/g, "").replace(/=+$/, "").toUpperCase()) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    bits += value.toString(2).padStart(5, "0");
  }
  const bytes = new Uint8Array(Math.floor(bits.length / 8));
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  return bytes;
}

/** The code for `secret` at time `at` (ms), or the step `offset` steps away. */
export async function totp(secret: string, at = Date.now(), offset = 0): Promise<string> {
  const key = await crypto.subtle.importKey("raw", base32Decode(secret), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const counter = new DataView(new ArrayBuffer(8));
  counter.setBigUint64(0, BigInt(Math.floor(at / 30_000) + offset));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, counter.buffer));
  const offsetByte = mac[mac.length - 1]! & 0xf;
  const binary = new DataView(mac.buffer).getUint32(offsetByte) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

/** A six-digit code that is valid in no step near now (for the wrong-code case). */
export async function wrongCode(secret: string): Promise<string> {
  const valid = new Set(await Promise.all([-2, -1, 0, 1, 2].map((offset) => totp(secret, Date.now(), offset))));
  for (let n = 0; ; n++) {
    const candidate = String((123_457 + n * 7919) % 1_000_000).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}
