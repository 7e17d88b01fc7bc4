/**
 * `npm run build:cdn`: dist/cognito-elements.js, the script-tag build (every element registered,
 * lit and amazon-cognito-identity-js inside), minified, with the shared browser options.
 */
import { build } from "esbuild";
import { browserOptions } from "./browser.ts";

await build({
  ...browserOptions,
  entryPoints: ["components/index.ts"],
  outfile: "dist/cognito-elements.js",
  minify: true,
  logLevel: "warning",
});
