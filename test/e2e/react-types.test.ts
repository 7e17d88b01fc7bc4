/**
 * React's JSX types (issue 14, finding 12), as an app sees them: `cognito-elements/react` from the
 * packed tarball types every `<cognito-*>` tag in a consumer's TSX under `"jsx": "react-jsx"`,
 * with `moduleResolution` bundler and nodenext; no other entry names React, so apps without it
 * never need `@types/react`; and the dashed attribute names those types derive from property
 * names (`passwordMinLength` → `password-min-length`) are the ones each element observes.
 * test/types/react-jsx.test-d.tsx checks the same types in depth against the sources.
 */
import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked } from "./packed.ts";

const root = resolve(import.meta.dirname, "../..");
const exec = promisify(execFile);

/** Runs a command; on failure, throws with only the end of its output. */
async function run(file: string, args: string[], cwd: string): Promise<string> {
  try {
    return (await exec(file, args, { cwd, maxBuffer: 64 << 20 })).stdout;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    const tail = (text: string) => text.split("\n").slice(-15).join("\n");
    throw new Error(`${file} ${args.join(" ").slice(0, 200)} failed:\n${tail(stdout)}\n${tail(stderr)}`);
  }
}

/** The same rule as `Dashed` in components/react.ts. */
const dashed = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

// A consumer's app: the README's two imports, then the elements in TSX.
const APP = `import { useState } from "react";
import "cognito-elements";
import "cognito-elements/react";
import type { CognitoLogin, CognitoNavigateEvent } from "cognito-elements";

export function App({ login }: { login: { current: CognitoLogin | null } }) {
  const [username, setUsername] = useState("");
  const navigate = (event: CognitoNavigateEvent) => event.preventDefault();
  return (
    <main>
      <cognito-config pool-id="eu-west-1_Example1" client-id="client" auth-flow="USER_PASSWORD_AUTH" />
      <cognito-auth-gate group="admins">
        <cognito-login
          ref={login}
          slot="signed-out"
          username-attribute="email"
          signupHref="/sign-up"
          oncognito-signed-in={(event) => setUsername(event.detail.username.toUpperCase())}
          oncognito-navigate={navigate}
        />
        <p>{username}</p>
      </cognito-auth-gate>
      <cognito-signup password-min-length={12} sign-in-after-confirm />
      {/* @ts-expect-error the value is "email" or "phone_number" */}
      <cognito-login username-attribute="mail" />
      {/* @ts-expect-error a number, not a string */}
      <cognito-signup passwordMinLength="twelve" />
      <cognito-login
        // @ts-expect-error the detail carries no password
        oncognito-signed-in={(event) => event.detail.password}
      />
      {/* @ts-expect-error not an element */}
      <cognito-logn />
    </main>
  );
}
`;

let consumer: string | undefined;
let dts: Map<string, string>;

describe("React JSX types", () => {
  beforeAll(async () => {
    // The JS and the declarations are all a consumer's compiler reads (no CDN build or manifest).
    await run("npm", ["run", "--silent", "build:npm"], root);
    await run("npm", ["run", "--silent", "build:types"], root);
    const packed = await installPacked("cognito-elements-react-");
    consumer = packed.dir;
    const installed = packed.installed;
    const files = packed.files.filter((path) => path.endsWith(".d.ts"));
    dts = new Map(await Promise.all(files.map(async (path) => [path, await readFile(join(installed, path), "utf8")] as const)));
  });

  afterAll(async () => {
    if (consumer) await rm(consumer, { recursive: true, force: true });
  });

  it("type-checks a consumer's TSX against cognito-elements/react with moduleResolution bundler and nodenext", async () => {
    const dir = consumer!;
    await writeFile(join(dir, "app.tsx"), APP);
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    for (const resolution of ["bundler", "nodenext"]) {
      await writeFile(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: "ES2022",
            lib: ["ES2022", "DOM", "DOM.Iterable"],
            module: resolution === "bundler" ? "ESNext" : "NodeNext",
            moduleResolution: resolution,
            jsx: "react-jsx",
            types: [],
            skipLibCheck: true,
          },
          files: ["app.tsx"],
        }),
      );
      const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
      const result = await exec(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir }).catch((error) => error);
      expect(`${result.stdout ?? ""}${result.stderr ?? ""}`, `tsc with moduleResolution ${resolution}`).toBe("");
      // A tsc that died without a word would leave the output empty too.
      expect(result.code ?? 0, `tsc's exit code with moduleResolution ${resolution}`).toBe(0);
    }
  });

  it("names React in the react entry's declarations only, so apps without React need no @types/react", () => {
    const naming = [...dts].filter(([, text]) => /from "react(\/[^"]*)?"|declare module "react"/.test(text)).map(([path]) => path);
    expect(naming).toEqual(["dist/components/react.d.ts"]);
  });

  it("exports nothing at run time from cognito-elements/react", async () => {
    const entry = await import(pathToFileURL(join(root, "dist", "components", "react.js")).href);
    expect(Object.keys(entry)).toEqual([]);
  });

  it("observes every element attribute under the dashed name of its property, as the JSX types spell it", async () => {
    const built = await import(pathToFileURL(join(root, "dist", "components", "index.js")).href);
    const elements = Object.entries(built).filter(
      (entry): entry is [string, { properties?: Record<string, { attribute?: unknown; state?: boolean }>; observedAttributes: string[] }] =>
        typeof entry[1] === "function" && "observedAttributes" in entry[1],
    );
    expect(elements.map(([name]) => name)).toEqual(expect.arrayContaining(["CognitoConfig", "CognitoLogin", "CognitoSignup"]));
    for (const [name, element] of elements) {
      const declared = Object.entries(element.properties ?? {})
        .filter(([, options]) => !options.state && options.attribute !== false)
        .map(([property]) => dashed(property));
      expect([...element.observedAttributes].sort(), name).toEqual(declared.sort());
    }
  });
});
