/**
 * The esbuild options every browser build of the elements shares (the CDN script, the bench, the
 * demo, the browser tests, the framework examples), so what is measured is what ships.
 *
 * amazon-cognito-identity-js reads Node's `global`, and three of its dependencies are bigger than
 * the little of them it uses: `buffer` (~20 KB minified), `tslib` (~6 KB) and a `fetch` polyfill.
 * The sdkShims plugin swaps them for the small modules in components/shims/, for imports from the
 * SDK's own packages only (anything else in a bundle keeps the real ones). test/e2e/sdk-shims.test.ts
 * proves the SDK computes the same SRP and device-flow requests with them.
 */
import type { BuildOptions, Plugin } from "esbuild";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const shims = join(dirname(fileURLToPath(import.meta.url)), "..", "shims");

/** Import path → replacement, as used by the SDK's packages. */
const SHIMS: Readonly<Record<string, string>> = {
  buffer: join(shims, "buffer.ts"),
  tslib: join(shims, "tslib.ts"),
  "isomorphic-unfetch": join(shims, "fetch.ts"),
};

// amazon-cognito-identity-js and the hashing packages it pulls in (@aws-crypto/sha256-js → tslib).
const SDK_PACKAGES = ["amazon-cognito-identity-js", "@aws-crypto", "@aws-sdk"].map((name) => `${sep}node_modules${sep}${name.replace("/", sep)}${sep}`);

/** Resolves `buffer`, `tslib` and `isomorphic-unfetch` to the shims when the SDK imports them. */
const sdkShims: Plugin = {
  name: "cognito-sdk-shims",
  setup(build) {
    build.onResolve({ filter: /^(buffer|tslib|isomorphic-unfetch)$/ }, ({ path, importer }) =>
      SDK_PACKAGES.some((dir) => importer.includes(dir)) ? { path: SHIMS[path]! } : undefined,
    );
  },
};

/** Bundle for browsers: ESM, ES2022, `global` as `globalThis`, the SDK's shims. */
export const browserOptions = {
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  define: { global: "globalThis" },
  plugins: [sdkShims],
} as const satisfies BuildOptions;
