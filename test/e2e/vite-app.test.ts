/**
 * A new user's first build: a fresh Vite app (vanilla TypeScript, no vite.config, no aliases, no
 * defines) installs the packed tarball, imports the package, builds, and signs in in Chromium with
 * the elements' defaults (USER_SRP_AUTH) against a real moto_server. Before the package had its own
 * Cognito client this built fine and the page died with "global is not defined". Beside it, what
 * loads on first use stays out of the page until wanted (in the Vite app's chunks, and in the
 * script-tag build's cdn/ folder, hosted under a path).
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked } from "./packed.ts";
import { startMoto, type Moto } from "../../dev/moto.ts";

const root = resolve(import.meta.dirname, "../..");
const exec = promisify(execFile);
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

/** Serves a built folder on 127.0.0.1. */
async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer(async (request, response) => {
    const path = normalize(new URL(request.url ?? "/", "http://app").pathname).replace(/^\/+/, "") || "index.html";
    try {
      const body = await readFile(join(dir, path));
      response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe("a fresh Vite app with the packed package and no bundler configuration", () => {
  let app = "";
  let moto: Moto;
  let browser: Browser | undefined;
  let site: { url: string; server: Server } | undefined;

  beforeAll(async () => {
    await exec("npm", ["run", "--silent", "build"], { cwd: root, maxBuffer: 64 << 20 });
    app = (await installPacked("vite-app-")).dir;
    moto = await startMoto();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (site ? site.server.close(done) : done(undefined)));
    await moto?.stop();
    if (app) await rm(app, { recursive: true, force: true });
  });

  it("builds, and a user signs in with the default flow (SRP) against moto_server", async () => {
    const pool = await moto.createPool();
    const user = await pool.createUser();
    // What the README tells a new user to write: the tags, and one import.
    await writeFile(join(app, "package.json"), JSON.stringify({ name: "fresh-app", private: true, type: "module" }));
    await mkdir(join(app, "src"), { recursive: true });
    await writeFile(join(app, "src", "main.ts"), `import "cognito-elements";\n`);
    await writeFile(
      join(app, "index.html"),
      `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Fresh app</title></head>
  <body>
    <cognito-config pool-id="${pool.poolId}" client-id="${pool.clientId}" endpoint="${moto.endpoint}"></cognito-config>
    <cognito-login></cognito-login>
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>
`,
    );
    await build({ root: app, configFile: false, logLevel: "silent" });
    site = await serve(join(app, "dist"));

    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const targets: string[] = [];
    page.on("request", (request) => targets.push(request.headers()["x-amz-target"]?.split(".").pop() ?? ""));
    await page.goto(site.url);
    await page.locator('cognito-login input[name="username"]').fill(user.username);
    await page.locator('cognito-login input[name="password"]').fill(user.password);
    await page.locator('cognito-login button[type="submit"]').click();
    await expect.poll(() => page.locator("cognito-login").getAttribute("auth-state")).toBe("signed-in");
    expect(errors).toEqual([]);
    expect(targets.filter(Boolean).slice(0, 2), "SRP: InitiateAuth, then the password claim").toEqual(["InitiateAuth", "RespondToAuthChallenge"]);
  });

  it("the script-tag build, hosted under a path, registers every element and loads a form's code from the cdn/ folder beside it", async () => {
    if (!browser) throw new Error("needs the browser the first test starts");
    // What the README's script-tag section says to host: dist/cognito-elements.js and dist/cdn/, side by side.
    const hosted = join(app, "script-tag");
    await mkdir(join(hosted, "static"), { recursive: true });
    await exec("cp", ["-r", join(root, "dist", "cognito-elements.js"), join(root, "dist", "cdn"), join(hosted, "static")]);
    await writeFile(
      join(hosted, "index.html"),
      `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Script tag</title></head>
  <body>
    <cognito-config pool-id="eu-west-1_AbC123" client-id="abc123" storage="memory"></cognito-config>
    <cognito-reset-password></cognito-reset-password>
    <script type="module" src="/static/cognito-elements.js"></script>
  </body>
</html>
`,
    );
    const tagSite = await serve(hosted);
    const page = await browser.newPage();
    try {
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      const scripts: string[] = [];
      page.on("request", (request) => {
        if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
      });
      await page.goto(tagSite.url);
      await page.locator('cognito-reset-password input[name="username"]').waitFor();
      const tags = ["cognito-config", "cognito-login", "cognito-signup", "cognito-sign-out", "cognito-reset-password", "cognito-profile", "cognito-auth-gate"];
      expect(await page.evaluate((names) => names.filter((name) => !customElements.get(name)), tags)).toEqual([]);
      expect(scripts.some((path) => /^\/static\/cdn\/reset-password-view-[\w-]+\.js$/.test(path)), scripts.join(", ")).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      tagSite.server.close();
    }
  });

  it("loads the sign-up form's code only when wanted: fetched as the pointer reaches 'Create an account', shown in place on the click", async () => {
    // The app built by the test above; a new page is a new browser context (no session, no cache).
    if (!browser || !site) throw new Error("needs the app the test above builds");
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(site.url);
    await page.locator('cognito-login input[name="username"]').waitFor();
    expect(scripts.filter((path) => path.includes("signup-view")), "not loaded with the page").toEqual([]);
    const fetched = page.waitForRequest((request) => request.url().includes("signup-view"));
    const link = page.getByRole("button", { name: "Create an account" });
    await link.hover();
    await fetched;
    await link.click();
    await expect.poll(() => page.locator('cognito-signup input[name="password"]').count()).toBe(1);
    await page.close();
  });
});
