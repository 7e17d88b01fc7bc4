/**
 * The npm package (issue 8, "Package"): `npm run build` then `npm pack` hold the built JS and
 * `.d.ts` behind every `exports` entry and nothing else from the repository (no tests, no
 * sources); `custom-elements.json` describes every `<cognito-*>` element; and a consumer project
 * that installs the packed tarball can import every entry in Node and type-check against it.
 */
import { execFile } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked } from "./packed.ts";

const root = resolve(import.meta.dirname, "../..");
const exec = promisify(execFile);

/** Runs a command; on failure, throws with only the end of its output (not minified sources). */
async function run(file: string, args: string[], options: { cwd: string }): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(file, args, { ...options, maxBuffer: 64 << 20 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    const tail = (text: string) => text.split("\n").slice(-15).map((line) => line.slice(0, 300)).join("\n");
    throw new Error(`${file} ${args.join(" ").slice(0, 200)} failed:\n${tail(stdout)}\n${tail(stderr)}`);
  }
}

interface PackFile {
  path: string;
}
type ExportTarget = string | { types: string; default: string };
interface Manifest {
  modules: Array<{ path: string; declarations?: Declaration[] }>;
}
interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: Array<{ name?: string }>;
  events?: Array<{ name?: string; type?: { text: string } }>;
}

let packed: string[] = [];
let pkg: { exports: Record<string, ExportTarget>; customElements: string; files: string[] };
let consumer: string | undefined;

const strip = (path: string) => path.replace(/^\.\//, "");

/** Every file an export entry points at; a `*` pattern must match at least one packed file. */
function targets(target: string): string[] {
  const path = strip(target);
  if (!path.includes("*")) return [path];
  const [prefix, suffix] = path.split("*") as [string, string];
  return packed.filter((file) => file.startsWith(prefix) && file.endsWith(suffix) && !file.slice(prefix.length).includes("/"));
}

/** The element tags, from the file names: one element per file, named after its tag. */
async function elementTags(): Promise<string[]> {
  const files = await readdir(join(root, "components", "elements"));
  return files.filter((file) => /^cognito-.*\.ts$/.test(file)).map((file) => file.replace(/\.ts$/, "")).sort();
}

describe("npm package", () => {
  beforeAll(async () => {
    await run("npm", ["run", "--silent", "build"], { cwd: root });
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root });
    packed = (JSON.parse(stdout)[0].files as PackFile[]).map((file) => file.path).sort();
    pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  });

  afterAll(async () => {
    if (consumer) await rm(consumer, { recursive: true, force: true });
  });

  it("packs the built JS and a declaration file behind every export", () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === "string") {
        expect(packed, `${entry} → ${target}`).toContain(strip(target));
        continue;
      }
      const js = targets(target.default);
      expect(js.length, `${entry} → ${target.default}`).toBeGreaterThan(0);
      for (const file of js) {
        expect(packed, `${entry}: ${file}`).toContain(file);
        expect(packed, `${entry}: declarations for ${file}`).toContain(file.replace(/\.js$/, ".d.ts"));
      }
      expect(targets(target.types).length, `${entry} → ${target.types}`).toBe(js.length);
    }
    expect(packed).toContain("dist/cognito-elements.js");
    expect(packed).toContain(pkg.customElements);
  });

  it("packs no tests, sources, demo, bench or CI files", () => {
    const unwanted = packed.filter(
      (file) => /^(test|bench|demo|components|worker|\.ci|\.wrangler|node_modules)\//.test(file) || /(?<!\.d)\.ts$/.test(file) || /\.test\./.test(file),
    );
    expect(unwanted).toEqual([]);
    expect(packed.filter((file) => !file.startsWith("dist/"))).toEqual(["README.md", "custom-elements.json", "package.json"]);
  });

  it("lists every cognito-* element in custom-elements.json with the attributes it observes and the events it fires", async () => {
    const manifest: Manifest = JSON.parse(await readFile(join(root, "custom-elements.json"), "utf8"));
    const declarations = manifest.modules.flatMap((module) => module.declarations ?? []).filter((d) => d.customElement);
    const tags = await elementTags();
    expect(tags.length).toBeGreaterThanOrEqual(7);
    expect(
      declarations.map((d) => d.tagName ?? `${d.name} (no tag: add @tag to its docblock)`).sort(),
      "every element file has a tag in the manifest",
    ).toEqual(tags);

    // The built module, in Node: the classes' observed attributes and the events' real names.
    const built = await import(pathToFileURL(join(root, "dist", "components", "index.js")).href);
    const eventName = (className: string): string => new built[className]({ changed: [] }).type;
    const allEvents = Object.keys(built)
      .filter((name) => /^Cognito\w+Event$/.test(name))
      .map(eventName);
    expect(allEvents).toContain("cognito-signed-in");

    for (const declaration of declarations) {
      const observed: string[] = [...(built[declaration.name].observedAttributes ?? [])].sort();
      const listed = (declaration.attributes ?? []).map((attribute) => attribute.name).sort();
      expect(listed, `${declaration.tagName} attributes`).toEqual(observed);

      const named = (declaration.events ?? []).flatMap((event) => (event.name ? [event.name] : []));
      for (const name of named) expect(allEvents, `${declaration.tagName} documents ${name}`).toContain(name);
      // The analyzer records `dispatchEvent(new XEvent(…))` by class; each must also be documented
      // by name (`@event cognito-…` in the docblock).
      for (const event of declaration.events ?? []) {
        if (event.name || !event.type) continue;
        expect(named, `${declaration.tagName} dispatches ${event.type.text}: document it with @event`).toContain(eventName(event.type.text));
      }
    }

    const byTag = new Map(declarations.map((d) => [d.tagName, d]));
    const names = (tag: string, key: "attributes" | "events") => (byTag.get(tag)?.[key] ?? []).map((item) => item.name);
    expect(names("cognito-config", "attributes")).toEqual(expect.arrayContaining(["pool-id", "client-id", "region", "endpoint", "auth-flow", "storage"]));
    expect(names("cognito-login", "events")).toEqual(expect.arrayContaining(["cognito-signed-in", "cognito-error"]));
    expect(names("cognito-auth-gate", "attributes")).toEqual(expect.arrayContaining(["group", "redirect"]));
  });

  it("installs from the tarball: every entry imports in Node and type-checks in a consumer project", async () => {
    consumer = (await installPacked("cognito-elements-consumer-")).dir;

    // Every JS entry; the script-tag build (dist/cognito-elements.js) is for browsers only and has none.
    const entries = Object.keys(pkg.exports).filter((entry) => !entry.includes("*") && !entry.endsWith(".json"));
    const script = `for (const e of ${JSON.stringify(entries)}) await import(e.replace(/^\\./, "cognito-elements"));`;
    await run(process.execPath, ["--input-type=module", "-e", script], { cwd: consumer });

    await writeFile(
      join(consumer, "consumer.ts"),
      `import { configure, authFetch, type CognitoLogin } from "cognito-elements";
import { AuthClient, authStore } from "cognito-elements/auth";
import { createDeps, handle } from "cognito-elements/worker";
import { parseConfig } from "cognito-elements/worker/config";
import { getAwsCredentials, type AwsCredentials } from "cognito-elements/credentials";

const login: CognitoLogin | null = document.querySelector("cognito-login");
login?.addEventListener("cognito-signed-in", (event) => event.detail.username.toUpperCase());
login?.addEventListener("cognito-signed-in", (event) => {
  // @ts-expect-error not a property of the detail
  event.detail.password;
});
const client: AuthClient = configure({ poolId: "eu-west-1_Example1", clientId: "client" });
const config = parseConfig({ COGNITO_USER_POOL_ID: "eu-west-1_Example1", COGNITO_CLIENT_ID: "client", ORIGIN_URL: "https://origin.example" });
const response: Promise<Response> = handle(new Request("https://gate.example/"), config, createDeps(config));
const credentials: () => Promise<AwsCredentials> = getAwsCredentials;
const expires: Promise<Date> = credentials().then((held) => held.expiration);
export { authFetch, authStore, client, expires, response };
`,
    );
    for (const resolution of ["bundler", "nodenext"]) {
      await writeFile(
        join(consumer, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: "ES2022",
            lib: ["ES2022", "DOM", "DOM.Iterable"],
            module: resolution === "bundler" ? "ESNext" : "NodeNext",
            moduleResolution: resolution,
            types: [],
            skipLibCheck: true,
          },
          files: ["consumer.ts"],
        }),
      );
      await writeFile(join(consumer, "package.json"), JSON.stringify({ type: "module", private: true }));
      const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
      const result = await exec(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: consumer }).catch((error) => error);
      expect(`${result.stdout ?? ""}${result.stderr ?? ""}`, `tsc with moduleResolution ${resolution}`).toBe("");
    }
  });
});
