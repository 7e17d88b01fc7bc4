/**
 * The browser bundle's size budget (issue 6): sizes are deterministic, so unlike times they may be
 * asserted. Built exactly as `npm run bench` builds it (bench/bundle.ts): esbuild, minified ESM
 * with code splitting and the shared browser options, gzip -9 per file. The budget applies to
 * what loads up front (lazy chunks load only when their feature is used): everything ≤ 45 KB
 * gzip; the project's own code (everything − lit − amazon-cognito-identity-js) ≤ 12 KB gzip.
 *
 * The own-code target is not met: MFA, the hosted UI and the locale machinery (issues 7–9) took it
 * to about 18.5 KB. Splitting the heavier parts into lazy chunks was measured and undone: the hosted
 * UI round trip and the profile, sign-up and reset forms as chunks took 3.7 KB off the first load
 * but added 4.9 KB to the whole (each chunk gzips alone, shared modules split out), and the forms
 * then waited one more round trip. `npm run bench` prints the miss beside the target; this test
 * holds the line where it is, so the code cannot grow unnoticed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BUDGET_TOTAL_GZIP, measureBundles, type BundleSizes } from "../../bench/bundle.ts";

/** Today's own code up front (18,476 B) plus 1 %: a ceiling against growth, not the 12 KB target. */
const OWN_CODE_CEILING_GZIP = 18_700;

describe("browser bundle size", () => {
  // About a dozen esbuild builds: measured once, read by every test.
  let sizes: BundleSizes;
  beforeAll(async () => {
    sizes = await measureBundles();
  });

  it("keeps everything loaded up front within 45 KB gzip", () => {
    const everything = sizes.everything.gzip;
    expect(everything, `everything: ${everything} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
  });

  it("keeps the project's own code loaded up front from growing past 18.7 KB gzip (the 12 KB target is not met)", () => {
    const own = sizes.everything.gzip - sizes.floor.gzip;
    expect(own, `own code: ${own} B gzip`).toBeLessThanOrEqual(OWN_CODE_CEILING_GZIP);
  });

  it("leaves the QR encoder (authenticator-app setup) out of the up-front load", () => {
    expect(sizes.everythingInputs).not.toContain("node_modules/lean-qr/nano.mjs");
    expect(sizes.everythingLazyChunks).toBeGreaterThanOrEqual(1);
  });

  it("lets each element be imported alone within 45 KB gzip up front", () => {
    expect(sizes.elements.length).toBeGreaterThan(0);
    for (const { name, size } of sizes.elements) {
      expect(size.gzip, `${name} alone: ${size.gzip} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
    }
  });
});
