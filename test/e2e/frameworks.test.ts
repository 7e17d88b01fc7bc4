/**
 * Framework hosts (issue 8): the React 19 (JSX, and TSX that `tsc` checks: issue 14), Vue 3 and
 * Svelte 5 examples under test/frameworks each put `<cognito-login>` inside `<cognito-auth-gate>`,
 * pass the pool by attributes or `configure()` and a property (`signupHref`), and listen to
 * `cognito-signed-in` the framework's own way. Each is bundled with esbuild, served from
 * 127.0.0.1, and signed into in Debian's Chromium against a real cognito-local; the test asserts
 * the gated content appears and the framework rendered the username it read from the event.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCognitoLocal, type CognitoLocal, type TestPool } from "../../dev/cognito-local.ts";
import { bundleFramework, FRAMEWORKS, type Framework } from "../frameworks/build.ts";
import type { PoolSettings } from "../frameworks/settings.ts";

let cognito: CognitoLocal;
let pool: TestPool;
let browser: Browser;
let server: Server;
let origin: string;
const bundles = new Map<Framework, string>();

function page(framework: Framework, settings: PoolSettings): string {
  // `<` escaped so the JSON cannot close the script element.
  const json = JSON.stringify(settings).replaceAll("<", "\\u003c");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${framework} host</title></head>
<body>
<div id="app"></div>
<script type="application/json" id="cognito-settings">${json}</script>
<script type="module" src="/${framework}/app.js"></script>
</body>
</html>`;
}

async function serve(settings: PoolSettings): Promise<Server> {
  const server = createServer((request, response) => {
    const [, framework, file] = /^\/([\w-]+)\/(app\.js)?$/.exec(request.url ?? "") ?? [];
    const bundle = bundles.get(framework as Framework);
    if (request.url === "/favicon.ico") {
      response.writeHead(204).end();
    } else if (!bundle) {
      response.writeHead(404).end();
    } else if (file) {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(bundle);
    } else {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(framework as Framework, settings));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** Fails the test on any uncaught page error or console error. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  return errors;
}

describe("framework hosts", () => {
  beforeAll(async () => {
    const [started] = await Promise.all([
      startCognitoLocal(),
      ...FRAMEWORKS.map(async (framework) => bundles.set(framework, await bundleFramework(framework))),
    ]);
    cognito = started;
    pool = await cognito.createPool();
    server = await serve({ poolId: pool.poolId, clientId: pool.clientId, endpoint: cognito.endpoint });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await cognito?.stop();
  });

  for (const framework of FRAMEWORKS) {
    it(`${framework}: signs in through <cognito-login> inside <cognito-auth-gate> and sees cognito-signed-in`, async () => {
      const user = await pool.createUser();
      const context = await browser.newContext();
      const tab = await context.newPage();
      const errors = watchErrors(tab);
      try {
        await tab.goto(`${origin}/${framework}/`);
        const members = tab.getByRole("heading", { name: "Members area" });
        const username = tab.getByLabel("Username");
        await username.waitFor({ state: "visible" });
        expect(await members.isVisible(), "gated content hidden before sign-in").toBe(false);
        // The framework set `signupHref` as a property: the login renders a link, not a button.
        expect(await tab.getByRole("link", { name: "Create an account" }).getAttribute("href")).toBe("/sign-up");

        await username.fill(user.username);
        await tab.getByLabel("Password", { exact: true }).fill(user.password);
        await tab.getByRole("button", { name: "Sign in" }).click();

        await members.waitFor({ state: "visible" });
        const saw = tab.getByTestId("framework-saw");
        await saw.filter({ hasText: `${framework} saw ${user.username} sign in` }).waitFor({ state: "visible" });
        expect(await username.isVisible(), "the login is no longer shown").toBe(false);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
