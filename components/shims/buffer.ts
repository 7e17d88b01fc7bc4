/**
 * Stands in for the `buffer` package (buffer@4.9.2, ~20 KB minified) in browser builds of
 * amazon-cognito-identity-js 6.x, which calls only `Buffer.from(string, "hex" | "utf8" |
 * "base64")`, `Buffer.from(bytes)`, `Buffer.concat(list)` and `toString("hex" | "base64" |
 * "utf8")` (SRP in AuthenticationHelper and CognitoUser, JWT payloads in CognitoJwtToken).
 * test/e2e/sdk-shims.test.ts runs the SDK's SRP and device flows with both and compares them.
 *
 * Decoding follows buffer@4.9.2, not a stricter reading: hex stops at the first bad pair and
 * refuses an odd length; base64 drops every character outside both alphabets (JWT payloads are
 * base64url without padding). One difference, on purpose: invalid UTF-8 becomes U+FFFD per
 * maximal subpart (TextDecoder, as Node does), where the polyfill writes one per byte.
 */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

type Encoding = "hex" | "utf8" | "base64";

function unsupported(encoding: string): never {
  throw new TypeError(`cognito-elements buffer shim: unsupported encoding ${encoding}`);
}

function fromHex(text: string): Buffer {
  if (text.length % 2) throw new TypeError("Invalid hex string");
  const bytes = new Buffer(text.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const byte = parseInt(text.substr(i * 2, 2), 16);
    if (Number.isNaN(byte)) return bytes.slice(0, i);
    bytes[i] = byte;
  }
  return bytes;
}

function fromBase64(text: string): Buffer {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.replace(/[^+/0-9A-Za-z_-]/g, "")) {
    value = (value << 6) | (char === "-" ? 62 : char === "_" ? 63 : ALPHABET.indexOf(char));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 255);
      value &= (1 << bits) - 1;
    }
  }
  return new Buffer(out);
}

export class Buffer extends Uint8Array {
  // Typed loosely only to stay assignable to Uint8Array.from's (iterable, mapfn) signature.
  static override from(value: string | Iterable<number> | ArrayLike<number>, encoding: any = "utf8"): Buffer {
    if (typeof value !== "string") return new Buffer(value as ArrayLike<number>);
    if (encoding === "hex") return fromHex(value);
    if (encoding === "base64") return fromBase64(value);
    if (encoding === "utf8") return new Buffer(new TextEncoder().encode(value));
    return unsupported(encoding);
  }

  static concat(list: readonly Uint8Array[]): Buffer {
    const out = new Buffer(list.reduce((length, bytes) => length + bytes.length, 0));
    let offset = 0;
    for (const bytes of list) {
      out.set(bytes, offset);
      offset += bytes.length;
    }
    return out;
  }

  override toString(encoding: Encoding = "utf8"): string {
    if (encoding === "hex") return Array.from(this, (byte) => byte.toString(16).padStart(2, "0")).join("");
    if (encoding === "base64") {
      let binary = "";
      for (const byte of this) binary += String.fromCharCode(byte);
      return btoa(binary);
    }
    if (encoding === "utf8") return new TextDecoder().decode(this);
    return unsupported(encoding);
  }
}
