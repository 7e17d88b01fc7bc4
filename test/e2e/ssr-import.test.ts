/**
 * Importing the package where there is no DOM (server-side rendering, a build step, a test runner)
 * must not throw: registration is guarded and nothing touches `window` until an element connects.
 * The built entries are imported by package name in a plain Node process, through `exports`, as a
 * server framework would; the source entry is imported here.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

/** Imports `specifiers` in a fresh Node process (no DOM globals) and returns their export names. */
async function importInNode(specifiers: string[]): Promise<Record<string, string[]>> {
  const script = `
    const out = {};
    for (const s of ${JSON.stringify(specifiers)}) out[s] = Object.keys(await import(s)).sort();
    if (typeof window !== "undefined" || typeof document !== "undefined") throw new Error("a DOM global leaked");
    console.log(JSON.stringify(out));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: root });
  return JSON.parse(stdout);
}

describe("importing on a server", () => {
  beforeAll(async () => {
    await run("npm", ["run", "--silent", "build:npm"], { cwd: root });
  });

  it("imports the built entries by package name in Node without a DOM", async () => {
    const exported = await importInNode(["cognito-elements", "cognito-elements/auth", "cognito-elements/worker", "cognito-elements/worker/config"]);
    expect(exported["cognito-elements"]).toEqual(expect.arrayContaining(["configure", "authFetch", "authStore", "CognitoLogin", "CognitoAuthGate"]));
    expect(exported["cognito-elements/auth"]).toEqual(expect.arrayContaining(["configure", "authStore"]));
    expect(exported["cognito-elements/worker"]).toEqual(expect.arrayContaining(["handle", "createDeps"]));
    expect(exported["cognito-elements/worker/config"]).toEqual(["parseConfig"]);
  });

  it("imports the source entry without a DOM", async () => {
    expect(typeof window).toBe("undefined");
    const elements = await import("../../components/index.ts");
    expect(typeof elements.configure).toBe("function");
    expect(typeof elements.CognitoLogin).toBe("function");
    expect(typeof window).toBe("undefined");
  });
});
