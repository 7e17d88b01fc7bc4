/**
 * The browser bundle's size budget (issue 6): sizes are deterministic, so unlike times they may be
 * asserted. Built exactly as `npm run bench` builds it (bench/bundle.ts): esbuild, minified ESM
 * with code splitting and the shared browser options, gzip -9 per file. The budget applies to
 * what loads up front (lazy chunks load only when their feature is used): everything ≤ 45 KB
 * gzip; the project's own code (everything − lit − amazon-cognito-identity-js) ≤ 12 KB gzip.
 */
import { describe, expect, it } from "vitest";
import { BUDGET_OWN_GZIP, BUDGET_TOTAL_GZIP, measureBundles } from "../../bench/bundle.ts";

describe("browser bundle size", () => {
  it("keeps everything loaded up front within 45 KB gzip", async () => {
    const sizes = await measureBundles();
    expect(sizes.everything, "components/index.ts must bundle").toBeDefined();
    // The QR encoder stays out of the up-front load.
    expect(sizes.everythingLazyChunks).toBeGreaterThanOrEqual(1);
    const everything = sizes.everything!.gzip;
    expect(everything, `everything: ${everything} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
  });

  it("keeps the project's own code loaded up front within 12 KB gzip", async () => {
    const sizes = await measureBundles();
    const own = sizes.everything!.gzip - sizes.floor.gzip;
    expect(own, `own code: ${own} B gzip`).toBeLessThanOrEqual(BUDGET_OWN_GZIP);
  });

  it("lets each element be imported alone", async () => {
    const sizes = await measureBundles();
    expect(sizes.elements.length).toBeGreaterThan(0);
    for (const { name, size } of sizes.elements) {
      expect(size.gzip, `${name} alone: ${size.gzip} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
    }
  });
});
