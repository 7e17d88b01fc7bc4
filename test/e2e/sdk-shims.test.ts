/**
 * The SDK shims of the browser builds (components/shims/, wired in components/build/browser.ts)
 * against the packages they replace. SRP (USER_SRP_AUTH) is the production default and
 * cognito-local cannot run it, so equivalence is proven here, in Node, byte for byte:
 * - every Buffer call pattern amazon-cognito-identity-js uses, on fixed and random inputs,
 *   compared with buffer@4.9.2 (the package the SDK depends on, not Node's Buffer);
 * - the SDK itself, bundled once with the real `buffer`/`tslib`/`isomorphic-unfetch` and once
 *   with the shims, running SRP sign-in, device confirmation, device SRP and token decoding with
 *   the same seeded randomness and clock: every request it sends must be identical.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { browserOptions } from "../../components/build/browser.ts";
import { Buffer as Shim } from "../../components/shims/buffer.ts";
import { __awaiter, __generator } from "../../components/shims/tslib.ts";

const root = resolve(import.meta.dirname, "../..");
// The npm package `buffer` (the SDK's dependency), not Node's built-in module of that name.
const Real: typeof Buffer = createRequire(import.meta.url)(join(root, "node_modules", "buffer", "index.js")).Buffer;

/** Seeded, so both runs draw the same "random" bytes (mulberry32). */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(42);
const int = (below: number) => Math.floor(random() * below);
const bytes = (length: number) => Uint8Array.from({ length }, () => int(256));
const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[int(alphabet.length)]).join("");
const hex = (list: Uint8Array) => Array.from(list, (b) => b.toString(16).padStart(2, "0")).join("");

/** The same call on both; same bytes out, or both throw. */
function same(call: (B: typeof Shim | typeof Buffer) => Uint8Array | string): void {
  const run = (B: typeof Shim | typeof Buffer) => {
    try {
      const out = call(B);
      return typeof out === "string" ? { out } : { bytes: hex(out) };
    } catch (error) {
      return { threw: (error as Error).constructor.name };
    }
  };
  expect(run(Shim), String(call)).toEqual(run(Real));
}

describe("Buffer shim against buffer@4.9.2", () => {
  it("Buffer.from(hex) and toString('hex'): random bytes, upper case, a bad pair midway, odd length", () => {
    for (let i = 0; i < 300; i++) {
      const text = hex(bytes(int(70)));
      same((B) => B.from(text, "hex"));
      same((B) => B.from(text.toUpperCase(), "hex").toString("hex"));
    }
    for (const text of ["", "0g12", "g012", "12zz34", " 1ab", "-1ab", "abc", "0x12"]) same((B) => B.from(text, "hex"));
  });

  it("Buffer.from(base64): padded, base64url without padding (JWT payloads), whitespace and junk", () => {
    for (let i = 0; i < 500; i++) {
      const data = bytes(int(80));
      const standard = btoa(String.fromCharCode(...data));
      const url = standard.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
      same((B) => B.from(standard, "base64"));
      same((B) => B.from(url, "base64"));
      same((B) => B.from(` ${standard.replace(/(.{7})/g, "$1\n")}\t`, "base64"));
      const junk = pick("AZaz09+/-_=.!é \n", int(12));
      same((B) => B.from(junk, "base64"));
    }
  });

  it("Buffer.from(utf8): any string, astral characters and lone surrogates included", () => {
    const pieces = ["a", "é", "日", "🎉", "\ud800", "\udfff", "\u0000", "€", "\u{10ffff}", " "];
    for (let i = 0; i < 300; i++) {
      const text: string = Array.from({ length: int(20) }, () => pieces[int(pieces.length)]).join("") + pick("abc", int(5));
      same((B) => B.from(text, "utf8"));
      same((B) => B.from(text, "utf8").toString("utf8"));
    }
  });

  it("Buffer.from(bytes), Buffer.concat and toString('base64' | 'hex') of random bytes", () => {
    for (let i = 0; i < 300; i++) {
      const parts = Array.from({ length: int(5) }, () => bytes(int(40)));
      same((B) => B.from(parts[0] ?? new Uint8Array()));
      same((B) => B.concat(parts.map((part) => B.from(part))));
      same((B) => B.concat(parts.map((part) => B.from(part))).toString("base64"));
      same((B) => B.from(parts[0] ?? new Uint8Array()).toString("hex"));
    }
  });

  it("toString('utf8') of invalid UTF-8 replaces the same bytes with U+FFFD (one per maximal subpart, not per byte)", () => {
    const collapse = (text: string) => text.replace(/\ufffd+/g, "\ufffd");
    for (let i = 0; i < 500; i++) {
      const data = bytes(int(30));
      const shim = Shim.from(data).toString("utf8");
      const real = Real.from(data).toString("utf8");
      expect(collapse(shim)).toBe(collapse(real));
    }
    // Where they differ: a truncated sequence is one replacement for TextDecoder (and Node).
    expect(Shim.from([0xe2, 0x82, 0x41]).toString("utf8")).toBe("\ufffdA");
    expect(Real.from([0xe2, 0x82, 0x41]).toString("utf8")).toBe("\ufffd\ufffdA");
  });

  it("refuses encodings the SDK never uses instead of guessing", () => {
    expect(() => Shim.from("abc", "latin1")).toThrow(TypeError);
    expect(() => Shim.from("abc").toString("ucs2" as "utf8")).toThrow(TypeError);
  });
});

describe("tslib shim", () => {
  it("runs an async function compiled to __awaiter/__generator (Sha256.digest)", async () => {
    const sum = (a: number) =>
      __awaiter(undefined, undefined, undefined, function (this: unknown) {
        let b: number;
        return __generator(this, (state: { label: number; sent(): number }) => {
          switch (state.label) {
            case 0:
              return [4, Promise.resolve(a + 1)];
            case 1:
              b = state.sent();
              return [2, b * 2];
          }
          return [2];
        });
      });
    await expect(sum(1)).resolves.toBe(4);
  });
});

describe("amazon-cognito-identity-js with the shims and with the real packages", () => {
  let dir: string;
  type Flows = typeof import("./support/sdk-flows.ts");
  const builds: Partial<Record<"real" | "shims", Flows>> = {};

  beforeAll(async () => {
    // Inside node_modules so the bundles resolve packages from there; a fresh clone has no .cache yet.
    await mkdir(join(root, "node_modules", ".cache"), { recursive: true });
    dir = await mkdtemp(join(root, "node_modules", ".cache", "sdk-shims-"));
    // The browser bundle runs here in Node: the real isomorphic-unfetch reads `self`.
    (globalThis as { self?: unknown }).self ??= globalThis;
    for (const kind of ["real", "shims"] as const) {
      const plugins = kind === "shims" ? browserOptions.plugins : [];
      const result = await esbuild.build({
        ...browserOptions,
        plugins,
        entryPoints: [join(root, "test", "e2e", "support", "sdk-flows.ts")],
        write: false,
        metafile: true,
        logLevel: "silent",
      });
      const inputs = Object.keys(result.metafile.inputs);
      // Each build holds what it claims to: the real packages, or the shims and none of them.
      expect(inputs.some((path) => path.startsWith("node_modules/buffer/")), `${kind}: buffer`).toBe(kind === "real");
      expect(inputs.some((path) => path.startsWith("node_modules/tslib/")), `${kind}: tslib`).toBe(kind === "real");
      expect(inputs.some((path) => path.includes("components/shims/")), `${kind}: shims`).toBe(kind === "shims");
      const file = join(dir, `${kind}.mjs`);
      await writeFile(file, result.outputFiles[0]!.contents);
      builds[kind] = await import(pathToFileURL(file).href);
    }
  });

  afterAll(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs `what` in both builds with the same clock and the same random bytes. */
  async function both<T>(what: (flows: Flows) => Promise<T>): Promise<{ real: T; shims: T }> {
    const out: Partial<Record<"real" | "shims", T>> = {};
    for (const kind of ["real", "shims"] as const) {
      const next = seeded(7);
      vi.spyOn(crypto, "getRandomValues").mockImplementation(<A extends ArrayBufferView | null>(array: A): A => {
        const view = new Uint8Array(array!.buffer, array!.byteOffset, array!.byteLength);
        for (let i = 0; i < view.length; i++) view[i] = Math.floor(next() * 256);
        return array;
      });
      vi.useFakeTimers({ now: new Date("2025-03-04T05:06:07Z"), toFake: ["Date"] });
      try {
        out[kind] = await what(builds[kind]!);
      } finally {
        vi.useRealTimers();
        vi.restoreAllMocks();
      }
    }
    return out as { real: T; shims: T };
  }

  it("computes the same SRP values: A, the password authentication key (HKDF), the device verifier", async () => {
    const { real, shims } = await both((flows) => flows.helperValues());
    expect((real[1] as number[]).length).toBe(16);
    expect(shims).toEqual(real);
  });

  it("sends the same requests through SRP sign-in, device confirmation and device SRP, and decodes the same base64url payloads", async () => {
    const { real, shims } = await both((flows) => flows.srpFlows());
    const requests = real.filter((entry): entry is [string, Record<string, Record<string, string>>] => Array.isArray(entry) && /^[A-Z]/.test(entry[0]));
    const challenges = requests.map(([operation, body]) => `${operation}:${body["ChallengeName"] ?? body["AuthFlow"] ?? ""}`);
    expect(challenges).toEqual([
      "InitiateAuth:USER_SRP_AUTH",
      "RespondToAuthChallenge:PASSWORD_VERIFIER",
      "ConfirmDevice:",
      "InitiateAuth:USER_SRP_AUTH",
      "RespondToAuthChallenge:PASSWORD_VERIFIER",
      "RespondToAuthChallenge:DEVICE_SRP_AUTH",
      "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER",
    ]);
    // Buffer-derived values are really there (and so really compared).
    expect(requests[1]![1]["ChallengeResponses"]!["PASSWORD_CLAIM_SIGNATURE"]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(requests[2]![1]["DeviceSecretVerifierConfig"]!["Salt"]).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(requests[6]![1]["ChallengeResponses"]!["PASSWORD_CLAIM_SIGNATURE"]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(real).toContainEqual(["password", expect.objectContaining({ username: "zoë", name: "日本語 🎉 ~~~???>>>" }), 2_000_000_000]);
    expect(shims).toEqual(real);
  });
});
