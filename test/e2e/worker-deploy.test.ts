/**
 * Deploying the gate from the npm package, as README.md's "Deploy the gate" tells a user to:
 * the packed tarball installed in a consumer project, then
 * - Cloudflare: a one-line entry re-exporting `cognito-elements/worker/cloudflare` and a
 *   `wrangler.toml`, bundled by `wrangler deploy --dry-run`; the bundle then serves a request
 *   on workerd (Miniflare);
 * - Deno: a one-line entry importing `cognito-elements/worker/deno`, run by the real `deno`,
 *   serving a request.
 * Both front a real origin on 127.0.0.1 and answer a public path (200, forwarded) and a private
 * one without a token (401, not forwarded).
 */
import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked } from "./packed.ts";
import { freePort } from "../../dev/cognito-local.ts";

const root = resolve(import.meta.dirname, "../..");
const exec = promisify(execFile);

async function run(file: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd, maxBuffer: 64 << 20, env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" } });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`);
  }
}

let consumer: string;
let origin: Server;
let originUrl: string;
const seen: string[] = [];

const SETTINGS = {
  COGNITO_USER_POOL_ID: "eu-west-1_Example1",
  COGNITO_CLIENT_ID: "1example23456789",
  PUBLIC_PATHS: "/health",
};

beforeAll(async () => {
  origin = createServer((req, res) => {
    seen.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((done) => origin.listen(0, "127.0.0.1", done));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;

  await run("npm", ["run", "--silent", "build:npm"], root);
  consumer = (await installPacked("cognito-gate-deploy-")).dir;
  await writeFile(join(consumer, "package.json"), JSON.stringify({ name: "my-gate", private: true, type: "module", dependencies: { "cognito-elements": "*" } }));
});

afterAll(async () => {
  origin?.closeAllConnections();
  await new Promise<void>((done) => (origin ? origin.close(() => done()) : done()));
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

describe("deploying the gate from the packed package", () => {
  it("Cloudflare: wrangler deploy --dry-run bundles a one-line entry, and the bundle serves a request on workerd", async () => {
    await writeFile(join(consumer, "gate.ts"), `export { default } from "cognito-elements/worker/cloudflare";\n`);
    await writeFile(join(consumer, "wrangler.toml"), `name = "my-gate"\nmain = "gate.ts"\ncompatibility_date = "2026-04-01"\n`);
    const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
    const output = await run(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", "out"], consumer);
    expect(output).toContain("--dry-run: exiting now.");
    const script = await readFile(join(consumer, "out", "gate.js"), "utf8");
    // Everything bundled: no bare import is left for the runtime to resolve.
    expect(script).not.toMatch(/^import .* from "(?!\.|cloudflare:|node:)/m);

    const mf = new Miniflare({ modules: true, script, compatibilityDate: "2026-04-01", bindings: { ...SETTINGS, ORIGIN_URL: originUrl } });
    try {
      seen.length = 0;
      const health = await mf.dispatchFetch("http://gate.example/health");
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      const refused = await mf.dispatchFetch("http://gate.example/api/things");
      expect(refused.status).toBe(401);
      await refused.text();
      expect(seen).toEqual(["/health"]);
    } finally {
      await mf.dispose();
    }
  });

  it("Deno: a one-line entry importing cognito-elements/worker/deno serves a request", async () => {
    // JavaScript: this consumer lives under node_modules/.cache, where Deno strips no types.
    await writeFile(join(consumer, "gate-deno.js"), `import "cognito-elements/worker/deno";\n`);
    const port = await freePort();
    const deno: ChildProcess = spawn(join(root, "node_modules", ".bin", "deno"), ["run", "--no-lock", "--allow-net", "--allow-env", "gate-deno.js"], {
      cwd: consumer,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...SETTINGS, ORIGIN_URL: originUrl, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    try {
      await new Promise<void>((listening, failed) => {
        const onData = (chunk: Buffer) => {
          output.push(chunk.toString());
          if (output.join("").includes("gate listening on")) listening();
        };
        deno.stdout?.on("data", onData);
        deno.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
        deno.once("exit", (code) => failed(new Error(`deno exited with ${code}: ${output.join("")}`)));
      });
      seen.length = 0;
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      const refused = await fetch(`http://127.0.0.1:${port}/api/things`);
      expect(refused.status).toBe(401);
      await refused.text();
      expect(seen).toEqual(["/health"]);
    } finally {
      if (deno.exitCode === null) {
        const exited = new Promise((done) => deno.once("exit", done));
        deno.kill("SIGTERM");
        await exited;
      }
    }
  });
});
