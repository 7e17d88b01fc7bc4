/**
 * The esbuild options every browser build of the elements shares (the CDN script, the bench, the
 * demo, the browser tests, the framework examples), so what is measured is what ships. Nothing
 * here is needed by a user's own bundler: the package builds with plain esbuild or Vite, no
 * aliases and no defines (test/e2e/vite-app.test.ts proves it).
 */
import type { BuildOptions } from "esbuild";

/** Bundle for browsers: ESM, ES2022. */
export const browserOptions = {
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
} as const satisfies BuildOptions;
