/**
 * The browser bundle's size budget: sizes are deterministic, so unlike times they may be asserted.
 * Built exactly as `npm run bench` builds it (bench/bundle.ts): esbuild, minified ESM with code
 * splitting and no aliases or defines (what a user's plain build does), gzip -9 per file. The
 * budget applies to what loads up front (lazy chunks load only when their feature is used):
 * everything the package registers ≤ 30 KB gzip (issue 13).
 *
 * The project's own code (everything − lit) is now the Cognito client too; its 12 KB target was set
 * when the SDK carried the client and is not met. This test holds the line where it is, so the code
 * cannot grow unnoticed.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BUDGET_TOTAL_GZIP, measureBundles, type BundleSizes } from "../../bench/bundle.ts";

/** Today's own code up front, client included (22,752 B), plus 1 %: a ceiling against growth, not the 12 KB target. */
const OWN_CODE_CEILING_GZIP = 22_980;

describe("browser bundle size", () => {
  // About a dozen esbuild builds: measured once, read by every test.
  let sizes: BundleSizes;
  beforeAll(async () => {
    sizes = await measureBundles();
  });

  it("keeps everything loaded up front within 30 KB gzip", () => {
    const everything = sizes.everything.gzip;
    expect(everything, `everything: ${everything} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
  });

  it("keeps the project's own code loaded up front from growing past 23 KB gzip (the 12 KB target is not met)", () => {
    const own = sizes.everything.gzip - sizes.floor.gzip;
    expect(own, `own code: ${own} B gzip`).toBeLessThanOrEqual(OWN_CODE_CEILING_GZIP);
  });

  it("holds no amazon-cognito-identity-js, and none of the Node shims it needed (buffer, tslib)", async () => {
    const libraries = [...sizes.everythingInputs].filter((path) => /node_modules\/(amazon-cognito-identity-js|buffer|tslib|@aws-crypto)\//.test(path));
    expect(libraries).toEqual([]);
    const pkg = JSON.parse(await readFile(resolve(import.meta.dirname, "../../package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies)).not.toContain("amazon-cognito-identity-js");
  });

  it("leaves the QR encoder (authenticator-app setup) out of the up-front load", () => {
    expect(sizes.everythingInputs).not.toContain("node_modules/lean-qr/nano.mjs");
    expect(sizes.everythingLazyChunks).toBeGreaterThanOrEqual(1);
  });

  it("leaves the identity-pool code (cognito-elements/credentials, its own entry) out of the up-front load", () => {
    expect(sizes.everythingInputs).not.toContain("components/auth/credentials.ts");
    expect(sizes.credentialsBeside.gzip).toBeGreaterThan(0);
  });

  it("lets each element be imported alone within 30 KB gzip up front", () => {
    expect(sizes.elements.length).toBeGreaterThan(0);
    for (const { name, size } of sizes.elements) {
      expect(size.gzip, `${name} alone: ${size.gzip} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
    }
  });
});
