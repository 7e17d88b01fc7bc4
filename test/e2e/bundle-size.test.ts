/**
 * The browser bundle's size budget (issue 6): sizes are deterministic, so unlike times they may be
 * asserted. Built exactly as `npm run bench` builds it (bench/bundle.ts): esbuild, minified ESM
 * with code splitting and the shared browser options, gzip -9 per file. The budget applies to
 * what loads up front (lazy chunks load only when their feature is used): everything ≤ 45 KB
 * gzip; the project's own code (everything − lit − amazon-cognito-identity-js) ≤ 12 KB gzip.
 *
 * The own-code target is not met yet: MFA, the hosted UI and the locale machinery (issues 7–9) took
 * it to about 18.5 KB; loading the hosted UI round trip and the profile, sign-up and reset views
 * lazily brought it to about 14.8 KB. `npm run bench` prints the miss beside the target; this test
 * holds the line where it is, so the code cannot grow back unnoticed while the target is worked
 * towards, and checks that what was made lazy stays out of the first load.
 */
import { describe, expect, it } from "vitest";
import { BUDGET_TOTAL_GZIP, measureBundles } from "../../bench/bundle.ts";

/** Today's own code up front (14,840 B) plus 1 %: a ceiling against growth, not the 12 KB target. */
const OWN_CODE_CEILING_GZIP = 15_000;

/** Modules only some visits need; each must reach the page through an `import()` only. */
const LAZY = [
  "components/auth/hosted-flow.ts",
  "components/elements/profile-view.ts",
  "components/elements/signup-view.ts",
  "components/elements/reset-password-view.ts",
  "components/elements/password-rules.ts",
  "node_modules/lean-qr/nano.mjs",
];

describe("browser bundle size", () => {
  it("keeps everything loaded up front within 45 KB gzip", async () => {
    const sizes = await measureBundles();
    expect(sizes.everything, "components/index.ts must bundle").toBeDefined();
    const everything = sizes.everything!.gzip;
    expect(everything, `everything: ${everything} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
  });

  it("keeps the project's own code loaded up front from growing past 15.0 KB gzip (the 12 KB target is not met yet)", async () => {
    const sizes = await measureBundles();
    const own = sizes.everything!.gzip - sizes.floor.gzip;
    expect(own, `own code: ${own} B gzip`).toBeLessThanOrEqual(OWN_CODE_CEILING_GZIP);
  });

  it("leaves the hosted UI round trip, the profile, sign-up and reset views and the QR encoder out of the up-front load", async () => {
    const sizes = await measureBundles();
    const upFront = sizes.everythingInputs!;
    // The element classes themselves load up front: importing the package registers every tag.
    for (const element of ["cognito-profile", "cognito-signup", "cognito-reset-password"]) expect(upFront).toContain(`components/elements/${element}.ts`);
    for (const module of LAZY) expect(upFront, `${module} loads up front`).not.toContain(module);
  });

  it("lets each element be imported alone within 45 KB gzip up front", async () => {
    const sizes = await measureBundles();
    expect(sizes.elements.length).toBeGreaterThan(0);
    for (const { name, size } of sizes.elements) {
      expect(size.gzip, `${name} alone: ${size.gzip} B gzip`).toBeLessThanOrEqual(BUDGET_TOTAL_GZIP);
    }
  });
});
