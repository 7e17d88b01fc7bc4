/**
 * The browser bundle's size budget (issue 6): sizes are deterministic, so unlike times they may be
 * asserted. Built exactly as `npm run bench` builds it (bench/bundle.ts): esbuild, minified ESM,
 * gzip -9. Everything ≤ 45 KB gzip; the project's own code (everything − lit −
 * amazon-cognito-identity-js) ≤ 12 KB gzip.
 */
import { describe, expect, it } from "vitest";
import { BUDGET_OWN_GZIP, BUDGET_TOTAL_GZIP, measureBundles } from "../../bench/bundle.ts";

describe("browser bundle size", () => {
  it("keeps everything and the project's own code within the gzip budget", async () => {
    const sizes = await measureBundles();
    expect(sizes.everything, "components/index.ts must bundle").toBeDefined();
    const everything = sizes.everything!.gzip;
    const own = everything - sizes.floor.gzip;
    expect(everything, `everything: ${everything} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
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
