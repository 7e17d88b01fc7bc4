/**
 * Bundles each framework example into one browser script with esbuild, the way an app's own
 * bundler would: React's JSX and TSX by esbuild itself, Vue with its runtime template compiler,
 * Svelte through `svelte/compiler` in a small esbuild plugin. Frameworks are dev dependencies only.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import * as esbuild from "esbuild";
import { compile } from "svelte/compiler";
import { browserOptions } from "../../components/build/browser.ts";

export type Framework = "react" | "react-tsx" | "vue" | "svelte";
export const FRAMEWORKS: readonly Framework[] = ["react", "react-tsx", "vue", "svelte"];

const here = import.meta.dirname;
const require = createRequire(import.meta.url);

/** Compiles `.svelte` files to client JavaScript (Svelte 5 runes mode follows from the source). */
const sveltePlugin: esbuild.Plugin = {
  name: "svelte",
  setup(build) {
    build.onLoad({ filter: /\.svelte$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      const { js, warnings } = compile(source, { filename: relative(here, path), generate: "client", css: "injected" });
      return {
        contents: js.code,
        loader: "js",
        warnings: warnings.map((warning) => ({ text: `${warning.code}: ${warning.message}` })),
      };
    });
  },
};

const entries: Record<Framework, string> = {
  react: join(here, "react", "main.jsx"),
  "react-tsx": join(here, "react", "main.tsx"),
  vue: join(here, "vue", "main.ts"),
  svelte: join(here, "svelte", "main.ts"),
};

/** One minified ESM bundle holding the framework, the elements and the example app. */
export async function bundleFramework(framework: Framework): Promise<string> {
  const result = await esbuild.build({
    ...browserOptions,
    entryPoints: [entries[framework]],
    minify: true,
    write: false,
    logLevel: "silent",
    jsx: "automatic",
    define: {
      "process.env.NODE_ENV": '"production"',
      __VUE_OPTIONS_API__: "true",
      __VUE_PROD_DEVTOOLS__: "false",
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
    },
    // The build of Vue that compiles templates in the browser, so `isCustomElement` applies.
    alias: framework === "vue" ? { vue: require.resolve("vue/dist/vue.esm-bundler.js") } : {},
    conditions: framework === "svelte" ? ["svelte", "browser"] : [],
    plugins: framework === "svelte" ? [sveltePlugin] : [],
  });
  if (result.warnings.length > 0) throw new Error(`${framework}: ${result.warnings.map((w) => w.text).join("; ")}`);
  return result.outputFiles![0]!.text;
}
