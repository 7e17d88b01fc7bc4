/**
 * Builds what the browser tests load, into test/.build/ (git-ignored):
 * - every test/components/**\/*.test.ts, bundled with the elements' own browser options (the
 *   tests import the TypeScript sources);
 * - frame.js + frame.html: a page with the elements, loaded in iframes to test real reloads and
 *   other browsing contexts;
 * - server/plugin.mjs: the Node-side plugin (it imports TypeScript helpers, which plain Node
 *   cannot).
 * Then checks that importing the package in Node (no window) does not throw.
 */
import { build, type BuildOptions } from "esbuild";
import { browserOptions } from "../../components/build/browser.ts";
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const source = join(root, "test", "components");
const out = join(root, "test", ".build");

// The elements' browser build (what the CDN script ships), with source maps.
const browser: BuildOptions = {
  ...browserOptions,
  sourcemap: "inline",
  logLevel: "warning",
  // Served by web-test-runner itself; imported by @web/test-runner-commands at run time.
  external: ["/__web-dev-server__web-socket.js"],
  // A host page's stylesheet (Pico CSS), imported as text by the theme and screenshot tests.
  loader: { ".css": "text" },
};

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((name) => name.endsWith(".test.ts")).map((name) => join(dir, name));
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const tests = await testFiles(source);
await build({ ...browser, entryPoints: tests, outdir: out, outbase: source });
// hosted.html is the hosted UI tests' redirect URI (issue 9).
for (const [script, page] of [["frame", "frame"], ["hosted-page", "hosted"]] as const) {
  await build({ ...browser, entryPoints: [join(source, `${script}.ts`)], outfile: join(out, `${script}.js`) });
  await copyFile(join(source, `${page}.html`), join(out, `${page}.html`));
}
await build({
  entryPoints: [join(source, "server", "plugin.ts")],
  outfile: join(out, "server", "plugin.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  logLevel: "warning",
});

// Importing the package on a server (no window) must not throw.
if (typeof (globalThis as { window?: unknown }).window !== "undefined") throw new Error("expected Node without window");
await import("../../components/index.ts");

console.log(`built ${tests.length} browser test files into ${relative(root, out)}/`);
