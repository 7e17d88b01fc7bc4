/**
 * Browser bundle weight: esbuild, minified ESM, sizes minified and gzip -9, built with the options
 * every browser build shares (components/build/browser.ts), which are what a user's plain esbuild
 * or Vite build does: no aliases, no defines. The baseline beside it is measured in the same run:
 * the libraries the elements stood on before they had their own Cognito client (lit and
 * amazon-cognito-identity-js, built the same plain way).
 *
 * Entries re-export (`export *`) rather than bare-import, so tree shaking cannot drop code a user
 * would reach through the public API: the figure is an upper bound for `import "cognito-elements"`.
 *
 * The budgets apply to what loads up front; the lazy chunk (the QR encoder) is printed beside it,
 * and the totals too, so moving code into a chunk never reads as removing it. The identity-pool
 * code (cognito-elements/credentials, issue 16) is its own entry: its rows say what it adds to a
 * page that imports it, and a target checks it stays out of the up-front load.
 */
import { readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { browserOptions } from "../components/build/browser.ts";
import { kb, ratio, type Table, type Target } from "./report.ts";

const root = resolve(import.meta.dirname, "..");

/** Amplify UI React Authenticator + aws-amplify, gzip KB, as measured when the project began (not installed here). */
export const AMPLIFY_WITH_REACT_KB = 240;
/** The same over React alone. */
export const AMPLIFY_OVER_REACT_KB = 171;
/** Everything the package registers, up front (issue 13). */
export const BUDGET_TOTAL_GZIP = 30_000;
export const BUDGET_OWN_GZIP = 12_000;

export interface Size {
  min: number;
  gzip: number;
}

/** A build split into what the entry loads up front and the chunks it may `import()` later. */
export interface Split {
  upFront: Size;
  lazy: Size;
  lazyChunks: number;
  /** Each lazy file: the module it was split for (`import()`ed), or the modules lazy ones share. */
  lazyFiles: LazyFile[];
  /** Source files (relative to the repository) bundled into what loads up front. */
  upFrontInputs: Set<string>;
}

export interface LazyFile {
  /** Source files in it, relative to the repository; the `import()`ed one first. */
  sources: string[];
  /** Whether it is the chunk of one `import()` (else code several of them share). */
  imported: boolean;
  size: Size;
}

export interface BundleSizes {
  /** What `import "cognito-elements"` loads before anything runs; the budget applies to this. */
  everything: Size;
  /** The `import()`ed chunks (the QR encoder), loaded only when used. */
  everythingLazy: Size;
  everythingLazyChunks: number;
  everythingLazyFiles: LazyFile[];
  /** Source files in the up-front load, to check what stays lazy. */
  everythingInputs: Set<string>;
  /** lit: the one library the elements load up front. */
  floor: Size;
  /** Baseline: amazon-cognito-identity-js, which the elements shipped before their own client. */
  cognitoJs: Size;
  /** Baseline: lit + amazon-cognito-identity-js, the old floor before any code of ours. */
  oldFloor: Size;
  /** Own code bundled with lit left external (up front). */
  ownAlone: Size;
  /** The lazy chunks of that build: own code (and lean-qr's encoder) only. */
  ownLazy: Size;
  ownLazyChunks: number;
  elements: Array<{ name: string; size: Size }>;
  /** cognito-elements/credentials: what it adds beside the elements (shared code counted once). */
  credentialsBeside: Size;
  /** cognito-elements/credentials alone, with the auth core it needs (no lit). */
  credentialsAlone: Size;
}

const CREDENTIALS_SOURCE = "components/auth/credentials.ts";

const LIBS = ["lit"];
const ENTRY = "bench-entry";

const add = (a: Size, b: Size): Size => ({ min: a.min + b.min, gzip: a.gzip + b.gzip });

/**
 * Builds `contents` as an entry with code splitting (as the CDN build does) and sizes each output
 * file on its own (a browser fetches, and gzips, each separately): files the entry imports
 * statically, transitively, count as up front; the rest are lazy.
 */
export async function bundleSplit(contents: string, external: string[] = []): Promise<Split> {
  const result = await esbuild.build({
    ...browserOptions,
    entryPoints: { [ENTRY]: ENTRY },
    plugins: [
      {
        name: "bench-entry",
        setup(build) {
          build.onResolve({ filter: new RegExp(`^${ENTRY}$`) }, () => ({ path: ENTRY, namespace: ENTRY }));
          build.onLoad({ filter: /.*/, namespace: ENTRY }, () => ({ contents, resolveDir: root, loader: "ts" }));
        },
      },
    ],
    splitting: true,
    outdir: join(root, "bench-out"),
    minify: true,
    metafile: true,
    external: external.flatMap((name) => [name, `${name}/*`]),
    write: false,
    logLevel: "silent",
  });
  const outputs = result.metafile!.outputs;
  const files = new Map(result.outputFiles!.map((file) => [relative(root, file.path), file.contents]));
  // Every `import()`ed module is an entry point of its own to esbuild: find ours by name.
  const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint?.endsWith(ENTRY))!;
  const upFront = new Set<string>();
  const visit = (path: string) => {
    if (upFront.has(path)) return;
    upFront.add(path);
    for (const link of outputs[path]!.imports) if (link.kind === "import-statement" && !link.external) visit(link.path);
  };
  visit(entry);
  const zero: Size = { min: 0, gzip: 0 };
  const split: Split = { upFront: zero, lazy: zero, lazyChunks: 0, lazyFiles: [], upFrontInputs: new Set() };
  const source = (input: string) => relative(root, resolve(input));
  for (const path of upFront) for (const input of Object.keys(outputs[path]!.inputs)) split.upFrontInputs.add(source(input));
  for (const [path, code] of files) {
    if (!path.endsWith(".js")) continue;
    const size = { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
    if (upFront.has(path)) split.upFront = add(split.upFront, size);
    else {
      split.lazy = add(split.lazy, size);
      split.lazyChunks++;
      const { entryPoint, inputs } = outputs[path]!;
      const imported = entryPoint === undefined ? [] : [source(entryPoint)];
      const others = Object.keys(inputs).map(source).filter((input) => !imported.includes(input));
      split.lazyFiles.push({ sources: [...imported, ...others], imported: imported.length > 0, size });
    }
  }
  split.lazyFiles.sort((a, b) => b.size.gzip - a.size.gzip);
  return split;
}

/**
 * What `extra` (a second entry) adds to a page that already loads `main`: both built together with
 * code splitting, as an app importing both is built, so the code they share is counted once, with
 * `main`. The files `extra` reaches statically that `main` does not.
 */
export async function bundleBeside(main: string, extra: string): Promise<Size> {
  const entries: Record<string, string> = { main, extra };
  const result = await esbuild.build({
    ...browserOptions,
    entryPoints: Object.fromEntries(Object.keys(entries).map((name) => [name, `${ENTRY}:${name}`])),
    plugins: [
      {
        name: "bench-entries",
        setup(build) {
          build.onResolve({ filter: new RegExp(`^${ENTRY}:`) }, (args) => ({ path: args.path.slice(ENTRY.length + 1), namespace: ENTRY }));
          build.onLoad({ filter: /.*/, namespace: ENTRY }, (args) => ({ contents: entries[args.path]!, resolveDir: root, loader: "ts" }));
        },
      },
    ],
    splitting: true,
    outdir: join(root, "bench-out"),
    minify: true,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const outputs = result.metafile!.outputs;
  const reach = (entry: string) => {
    const seen = new Set<string>();
    const visit = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      for (const link of outputs[path]!.imports) if (link.kind === "import-statement" && !link.external) visit(link.path);
    };
    visit(entry);
    return seen;
  };
  const loaded = reach("bench-out/main.js");
  let size: Size = { min: 0, gzip: 0 };
  for (const file of result.outputFiles!) {
    const path = relative(root, file.path);
    if (!path.endsWith(".js") || loaded.has(path) || !reach("bench-out/extra.js").has(path)) continue;
    size = add(size, { min: file.contents.byteLength, gzip: gzipSync(file.contents, { level: 9 }).byteLength });
  }
  return size;
}

/** What loads up front. */
export async function bundleSize(contents: string, external: string[] = []): Promise<Size> {
  return (await bundleSplit(contents, external)).upFront;
}

const reexport = (path: string) => `export * from ${JSON.stringify(path)};`;

export async function measureBundles(): Promise<BundleSizes> {
  const floor = await bundleSize(reexport("lit"));
  const cognitoJs = await bundleSize(reexport("amazon-cognito-identity-js"));
  const oldFloor = await bundleSize(["lit", "amazon-cognito-identity-js"].map(reexport).join("\n"));
  const everything = await bundleSplit(reexport("./components/index.ts"));
  const ownAlone = await bundleSplit(reexport("./components/index.ts"), LIBS);
  const files = readdirSync(join(root, "components", "elements")).filter((f) => /^cognito-[\w-]+\.ts$/.test(f)).sort();
  const elements: BundleSizes["elements"] = [];
  for (const file of files) {
    elements.push({ name: file.replace(/\.ts$/, ""), size: await bundleSize(reexport(`./components/elements/${file}`)) });
  }
  return {
    everything: everything.upFront,
    everythingLazy: everything.lazy,
    everythingLazyChunks: everything.lazyChunks,
    everythingLazyFiles: everything.lazyFiles,
    everythingInputs: everything.upFrontInputs,
    floor,
    cognitoJs,
    oldFloor,
    ownAlone: ownAlone.upFront,
    ownLazy: ownAlone.lazy,
    ownLazyChunks: ownAlone.lazyChunks,
    elements,
    credentialsBeside: await bundleBeside(reexport("./components/index.ts"), reexport("./components/credentials.ts")),
    credentialsAlone: await bundleSize(reexport("./components/credentials.ts")),
  };
}

/** A lazy file as the table names it: the module `import()`ed, or what a shared chunk holds. */
function lazyLabel(file: LazyFile): string {
  const [first, ...rest] = file.sources;
  if (file.imported) return `import("${first}")${rest.length ? ` + ${rest.length} module${rest.length > 1 ? "s" : ""}` : ""}`;
  return `shared by lazy chunks: ${file.sources.slice(0, 3).join(", ")}${file.sources.length > 3 ? `, +${file.sources.length - 3}` : ""}`;
}

export function bundleTable(sizes: BundleSizes): { table: Table; targets: Target[] } {
  const { everything, everythingLazy, floor, ownAlone, ownLazy } = sizes;
  const own = { min: everything.min - floor.min, gzip: everything.gzip - floor.gzip };
  const everythingTotal = add(everything, everythingLazy);
  const ownTotal = add(own, ownLazy);
  const amplify = AMPLIFY_WITH_REACT_KB * 1000;
  const amplifyOverReact = AMPLIFY_OVER_REACT_KB * 1000;
  const row = (label: string, s: Size, base = true) => [
    label,
    kb(s.min),
    kb(s.gzip),
    base ? ratio(s.gzip, amplify) : "",
    base ? ratio(s.gzip, amplifyOverReact) : "",
  ];
  return {
    table: {
      title: "Browser bundle (esbuild, minified ESM; gzip -9), KB = 1000 B",
      head: ["bundle", "min KB", "gzip KB", "÷ Amplify+React 240", "÷ Amplify over React 171"],
      rows: [
        row("everything (components/index.ts), loaded up front", everything),
        row(`  lazy chunks, fetched only when used (${sizes.everythingLazyChunks} files)`, everythingLazy, false),
        ...sizes.everythingLazyFiles.map((file) => row(`    ${lazyLabel(file)}`, file.size, false)),
        row("  everything in total (up front + lazy)", everythingTotal),
        row("floor: lit", floor),
        row("own code up front = everything − floor", own),
        row(`  own code in lazy chunks (${sizes.ownLazyChunks} files, libs external)`, ownLazy, false),
        row("  own code in total (up front + lazy)", ownTotal),
        row("own code alone, up front (libs external)", ownAlone),
        ...sizes.elements.map((e) => row(`  ${e.name} alone`, e.size)),
        row("cognito-elements/credentials beside everything: what it adds, for pages that import it", sizes.credentialsBeside),
        row("  cognito-elements/credentials alone (with the auth core, no lit)", sizes.credentialsAlone),
        row("baseline: amazon-cognito-identity-js alone, plain build", sizes.cognitoJs),
        row("baseline: lit + amazon-cognito-identity-js, before a line of ours", sizes.oldFloor),
        ["baseline: Amplify UI Authenticator + aws-amplify + React", "", String(AMPLIFY_WITH_REACT_KB), "1.00×", ""],
        ["baseline: the same over React alone", "", String(AMPLIFY_OVER_REACT_KB), "", "1.00×"],
      ],
      notes: [
        "Amplify baselines: figures measured when the project began, not installed here.",
        "Built with code splitting, each file gzipped on its own; budgets apply to what loads up front.",
        "Lazy chunks, each named by what it was split for: the forms of sign-up, password reset and the profile, sign-in's steps after the first, the passkey (WebAuthn) calls, SRP's math, the hosted UI's round trip, lean-qr's QR encoder.",
        "Own code in lazy chunks counts lean-qr's encoder (2.1 KB gzip): it is not lit.",
        "Plain build: no aliases, no defines, as a user's esbuild or Vite builds it.",
        "Elements alone include lit; gzip sizes do not add up exactly.",
        "credentials beside everything: both entries built together with splitting; code they share counts with everything.",
      ],
    },
    targets: [
      {
        name: "everything up front, gzip, plain build",
        goal: `≤ ${kb(BUDGET_TOTAL_GZIP)} KB`,
        value: `${kb(everything.gzip)} KB (old floor alone: ${kb(sizes.oldFloor.gzip)} KB, ${ratio(everything.gzip, sizes.oldFloor.gzip)})`,
        met: everything.gzip <= BUDGET_TOTAL_GZIP,
      },
      {
        name: "own code up front (everything − floor), gzip",
        goal: `≤ ${kb(BUDGET_OWN_GZIP)} KB`,
        value: `${kb(own.gzip)} KB (alone: ${kb(ownAlone.gzip)} KB)`,
        met: own.gzip <= BUDGET_OWN_GZIP,
      },
      {
        name: "identity-pool code (cognito-elements/credentials) out of the up-front load",
        goal: "its own entry",
        value: sizes.everythingInputs.has(CREDENTIALS_SOURCE) ? `${CREDENTIALS_SOURCE} is in it` : `adds ${kb(sizes.credentialsBeside.gzip)} KB gzip, only where imported`,
        met: !sizes.everythingInputs.has(CREDENTIALS_SOURCE),
      },
      {
        name: "in total, up front + lazy, gzip (no target)",
        goal: "info",
        value: `own ${kb(ownTotal.gzip)} KB, everything ${kb(everythingTotal.gzip)} KB`,
        met: undefined,
      },
    ],
  };
}
