/**
 * `npm run build:cdn`: dist/cognito-elements.js, the script-tag build (every element registered,
 * lit inside), minified, with the shared browser options. Split: what loads on first use (the
 * forms of sign-up, reset and the profile, sign-in's later steps, passkeys, SRP, the hosted UI, the
 * QR encoder) goes to dist/cdn/*.js, and the script imports it, relative to itself, when used.
 */
import { build } from "esbuild";
import { browserOptions } from "./browser.ts";

await build({
  ...browserOptions,
  entryPoints: { "cognito-elements": "components/index.ts" },
  outdir: "dist",
  chunkNames: "cdn/[name]-[hash]",
  splitting: true,
  minify: true,
  logLevel: "warning",
});
