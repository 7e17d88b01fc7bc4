/**
 * The browser bundle's size budget: sizes are deterministic, so unlike times they may be asserted.
 * Built exactly as `npm run bench` builds it (bench/bundle.ts): esbuild, minified ESM with code
 * splitting and no aliases or defines (what a user's plain build does), gzip -9 per file. The
 * budgets apply to what loads up front (lazy chunks load only when their feature is used).
 *
 * Issue 13's target, everything the package registers ≤ 30 KB gzip up front, holds: the forms of
 * sign-up, password reset and the profile, and sign-in's steps after the first, load on first use
 * (components/elements/lazy-view.ts), beside the hosted UI, SRP, the WebAuthn calls and the QR
 * encoder. The own-code 12 KB target was set when the SDK carried the client: it is not met, and a
 * ceiling holds today's figure so nothing grows unnoticed.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BUDGET_TOTAL_GZIP, measureBundles, type BundleSizes } from "../../bench/bundle.ts";

/** Today's own code up front, client included (22,768 B), plus 1 %: a ceiling against growth, not the 12 KB target. */
const OWN_CODE_CEILING_GZIP = 23_000;

/** Modules that load on first use, never up front. */
const LAZY = [
  "components/elements/signup-view.ts",
  "components/elements/reset-password-view.ts",
  "components/elements/profile-view.ts",
  "components/elements/passkey-panel.ts",
  "components/elements/login-steps.ts",
  "components/elements/totp-setup.ts",
  "components/auth/passkeys.ts",
  "components/auth/webauthn.ts",
];

describe("browser bundle size", () => {
  // About a dozen esbuild builds: measured once, read by every test.
  let sizes: BundleSizes;
  beforeAll(async () => {
    sizes = await measureBundles();
  });

  it("loads everything the package registers within 30 KB gzip up front", () => {
    const everything = sizes.everything.gzip;
    expect(everything, `everything: ${everything} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
  });

  it("keeps the project's own code loaded up front from growing past 23.0 KB gzip (the 12 KB target is not met)", () => {
    const own = sizes.everything.gzip - sizes.floor.gzip;
    expect(own, `own code: ${own} B gzip`).toBeLessThanOrEqual(OWN_CODE_CEILING_GZIP);
  });

  it("holds no amazon-cognito-identity-js, and none of the Node shims it needed (buffer, tslib)", async () => {
    const libraries = [...sizes.everythingInputs].filter((path) => /node_modules\/(amazon-cognito-identity-js|buffer|tslib|@aws-crypto)\//.test(path));
    expect(libraries).toEqual([]);
    const pkg = JSON.parse(await readFile(resolve(import.meta.dirname, "../../package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies)).not.toContain("amazon-cognito-identity-js");
  });

  it("leaves the hosted UI's OAuth round trip and SRP's math out of the up-front load", () => {
    expect(sizes.everythingInputs).not.toContain("components/auth/hosted.ts");
    expect(sizes.everythingInputs).not.toContain("components/auth/srp.ts");
  });

  it("leaves the QR encoder (authenticator-app setup) out of the up-front load", () => {
    expect(sizes.everythingInputs).not.toContain("node_modules/lean-qr/nano.mjs");
    expect(sizes.everythingLazyChunks).toBeGreaterThanOrEqual(1);
  });

  it("leaves the identity-pool code (cognito-elements/credentials, its own entry) out of the up-front load", () => {
    expect(sizes.everythingInputs).not.toContain("components/auth/credentials.ts");
    expect(sizes.credentialsBeside.gzip).toBeGreaterThan(0);
  });

  it("loads the forms of sign-up, password reset and the profile, sign-in's later steps and the passkey calls on first use only", () => {
    const upFront = LAZY.filter((source) => sizes.everythingInputs.has(source));
    expect(upFront).toEqual([]);
    const lazy = sizes.everythingLazyFiles.flatMap((file) => file.sources);
    expect(LAZY.filter((source) => !lazy.includes(source))).toEqual([]);
  });

  it("gives the passkey (WebAuthn) calls a lazy chunk of their own, as the bench lists it", () => {
    const passkeys = sizes.everythingLazyFiles.find((file) => file.imported && file.sources[0] === "components/auth/passkeys.ts");
    expect(passkeys?.size.gzip).toBeGreaterThan(0);
  });

  it("lets each element be imported alone within 30 KB gzip up front", () => {
    expect(sizes.elements.length).toBeGreaterThan(0);
    for (const { name, size } of sizes.elements) {
      expect(size.gzip, `${name} alone: ${size.gzip} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
    }
  });
});
