/**
 * One journey through the demo as a new user would take it, against the stack `npm start` runs
 * (cognito-local, origin, gate on workerd, page), in Debian's Chromium. Then the Passkeys page on
 * http://localhost, whose choice-based sign-in and passkeys the stand-in answers
 * (dev/passwordless-stand-in.ts), with Chromium's virtual authenticator: the WebAuthn ceremonies,
 * keys and signatures are real. Screenshots of each step go to test/screenshots/e2e/ (git-ignored).
 */
import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type CDPSession, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { totp } from "../components/totp.ts";
import { npmStart, type RunningDemo } from "./npm-start.ts";

const shots = resolve(import.meta.dirname, "..", "screenshots", "e2e");
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let demo: RunningDemo;
let browser: Browser;
let page: Page;
let step = 0;

async function shot(name: string, on: Page = page): Promise<void> {
  await on.screenshot({ path: join(shots, `${String(++step).padStart(2, "0")}-${name}.png`), fullPage: true });
}

/** The view the router shows now (the others are `hidden`). */
const view = (): Locator => page.locator("main > section:not([hidden])");
const header = (): Locator => page.locator("header.site-header");

/** The seeded pool and its app clients (pool.json in the demo's data dir). */
async function seeded(): Promise<{ poolId: string; clientId: string; passkeysClientId: string }> {
  return JSON.parse(await readFile(join(demo.dataDir, "pool.json"), "utf8"));
}

async function adminGetUser(username: string): Promise<Record<string, string>> {
  const { poolId } = await seeded();
  const response = await fetch(`http://127.0.0.1:${demo.ports.COGNITO_PORT}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.AdminGetUser" },
    body: JSON.stringify({ UserPoolId: poolId, Username: username }),
  });
  const user = await response.json();
  return Object.fromEntries(user.UserAttributes.map((a: { Name: string; Value: string }) => [a.Name, a.Value]));
}

async function signIn(username: string, password: string): Promise<void> {
  await header().getByRole("link", { name: "Sign in" }).click();
  const login = view().locator("cognito-login");
  await login.getByLabel("Username").fill(username);
  await login.getByLabel("Password", { exact: true }).fill(password);
  await login.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function signOut(): Promise<void> {
  await header().getByRole("button", { name: "Sign out" }).click();
  await expect.poll(() => header().getByRole("link", { name: "Sign in" }).isVisible()).toBe(true);
}

async function callApi(): Promise<{ status: string; text: string }> {
  const output = page.locator("#api-result");
  await page.locator("#call-api").click();
  await expect.poll(() => output.getAttribute("data-status")).toMatch(/^\d+$/);
  return { status: (await output.getAttribute("data-status"))!, text: (await output.textContent())! };
}

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  demo = await npmStart();
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1100, height: 850 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe("the demo, as a new user", () => {
  const username = `newcomer${Date.now()}`;
  const password = "First-pass-1";
  const newPassword = "Second-pass-2";

  test("npm start printed the page, the demo users, the code and how to stop", () => {
    const out = demo.output();
    expect(out).toContain(`Page    ${demo.pageUrl}`);
    expect(out).toContain("demo / Demo-pass-1");
    expect(out).toContain("123456");
    expect(out).toContain("Ctrl-C stops everything.");
  });

  test("serves the page with Content-Security-Policy frame-ancestors, so no other site can frame it", async () => {
    const response = await fetch(demo.pageUrl);
    expect(response.headers.get("content-security-policy")).toBe("frame-ancestors 'self'");
  });

  test("signs up, confirms with the code, and lands signed in", async () => {
    await page.goto(demo.pageUrl);
    await shot("home");
    await header().getByRole("link", { name: "Sign up" }).click();
    const signup = view().locator("cognito-signup");
    await signup.getByLabel("Username").fill(username);
    await signup.getByLabel("Email").fill(`${username}@example.com`);
    await signup.getByLabel(/^Name/).fill("Nia Newcomer");
    await signup.getByLabel("Password", { exact: true }).fill(password);
    await shot("sign-up");
    await signup.getByRole("button", { name: "Create account" }).click();

    // The README says every code is 123456 on the local stack.
    await signup.getByLabel("Code").fill("123456");
    await shot("confirm");
    await signup.getByRole("button", { name: "Confirm" }).click();

    await expect.poll(() => header().locator("#who").textContent()).toBe("Nia Newcomer");
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe("/protected");
    await shot("signed-in");
  });

  test("stays signed in after a reload", async () => {
    await page.reload();
    await expect.poll(() => header().locator("#who").textContent()).toBe("Nia Newcomer");
    await expect.poll(() => view().getByText("Only signed-in users see this paragraph.").isVisible()).toBe(true);
  });

  test("calls the API through the gate, and the origin sees this user's sub", async () => {
    const { sub } = await adminGetUser(username);
    const { status, text } = await callApi();
    expect(status).toBe("200");
    expect(JSON.parse(text.slice(text.indexOf("\n") + 1))).toMatchObject({ sub, username });
    await shot("api-200");
  });

  test("changes the name in the profile, and the header shows it", async () => {
    await header().getByRole("link", { name: "Profile" }).click();
    const profile = view().locator("cognito-profile");
    await profile.getByLabel(/^Name/).fill("Nia Renamed");
    await profile.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => header().locator("#who").textContent()).toBe("Nia Renamed");
    expect((await adminGetUser(username)).name).toBe("Nia Renamed");
    await shot("profile-saved");
  });

  test("uploads a file on the Files page with the user's own AWS credentials, and sees it listed", async () => {
    // moto_server holds the identity pool and S3; it checks neither the ID token nor the signature
    // (test/auth/credentials.test.ts says what it does check).
    expect(demo.output()).toContain("Files   http");
    await header().getByRole("link", { name: "Files" }).click();
    const files = view();
    await files.locator("#upload-file").setInputFiles({ name: "hello.txt", mimeType: "text/plain", buffer: Buffer.from("hello, S3") });
    await files.getByRole("button", { name: "Upload" }).click();
    await expect.poll(() => files.locator("#files-status").textContent()).toBe("Uploaded hello.txt.");
    await expect.poll(() => files.getByRole("list", { name: "Your files" }).textContent()).toContain("hello.txt (9 B)");
    await shot("files");
  });

  test("signs out, and the same API call is now refused with 401", async () => {
    await signOut();
    await page.goto(new URL("/protected", demo.pageUrl).href);
    const { status, text } = await callApi();
    expect(status).toBe("401");
    expect(text).toContain("token_missing");
    await shot("signed-out-401");
  });

  test("resets a forgotten password and signs in with the new one", async () => {
    await header().getByRole("link", { name: "Sign in" }).click();
    await view().getByRole("link", { name: "Forgot your password?" }).click();
    const reset = view().locator("cognito-reset-password");
    await reset.getByLabel("Username").fill(username);
    await reset.getByRole("button", { name: "Send code" }).click();
    await reset.getByLabel("Code").fill("123456");
    await reset.getByLabel("New password", { exact: true }).fill(newPassword);
    await shot("reset");
    await reset.getByRole("button", { name: "Set new password" }).click();
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe("/sign-in");

    await signIn(username, newPassword);
    await expect.poll(() => header().locator("#who").textContent()).toBe("Nia Renamed");
    await shot("signed-in-new-password");
  });

  test("the admin page is closed to this user", async () => {
    await header().getByRole("link", { name: "Admin" }).click();
    await expect.poll(() => view().locator("#admin-denied").isVisible()).toBe(true);
    expect(await view().locator("#call-admin").isVisible()).toBe(false);
    await shot("admin-denied");
  });

  test("a member of the admin group sees the admin page and its report", async () => {
    await signOut();
    await signIn("admin", "Admin-pass-1");
    await expect.poll(() => header().locator("#who").textContent()).toBe("Ada Admin");
    await header().getByRole("link", { name: "Admin" }).click();
    await view().locator("#call-admin").click();
    const output = view().locator("#admin-result");
    await expect.poll(() => output.getAttribute("data-status")).toBe("200");
    expect(await output.textContent()).toContain("Admin report");
    await shot("admin-report");
  });

  test("the demo user turns on an authenticator app in the profile, then needs its code to sign in", async () => {
    await signOut();
    await signIn("demo", "Demo-pass-1");
    await expect.poll(() => header().locator("#who").textContent()).toBe("Dana Demo");
    await header().getByRole("link", { name: "Profile" }).click();
    const profile = view().locator("cognito-profile");
    await profile.getByRole("button", { name: "Set up authenticator app" }).click();
    const secret = (await profile.locator("code.secret").textContent())!.trim();
    await expect.poll(() => profile.locator("svg.qr").isVisible()).toBe(true);
    await shot("totp-setup");
    await profile.locator(`input[name="totp-code"]`).fill(await totp(secret));
    await profile.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => profile.locator("p.mfa").textContent()).toContain("Authenticator app");

    await signOut();
    await signIn("demo", "Demo-pass-1");
    const login = view().locator("cognito-login");
    await login.getByRole("textbox", { name: "Code" }).fill(await totp(secret));
    await shot("totp-sign-in");
    await login.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => header().locator("#who").textContent()).toBe("Dana Demo");
  });

  test("signs in through the hosted UI (authorization code + PKCE) and lands back signed in", async () => {
    await signOut();
    await header().getByRole("link", { name: "Sign in" }).click();
    await view().getByRole("button", { name: "Sign in with your organisation" }).click();
    // cognito-local's own sign-in form stands in for Cognito's hosted UI and its providers.
    await page.waitForURL((url) => url.pathname.endsWith("/oauth2/authorize"));
    await page.locator('input[name="username"]').fill("admin");
    await page.locator('input[name="password"]').fill("Admin-pass-1");
    await shot("hosted-ui");
    await page.locator('button[type="submit"]').click();
    await expect.poll(() => header().locator("#who").textContent()).toBe("Ada Admin");
    expect(page.url()).not.toMatch(/[?&](code|state)=/);
    const { status } = await callApi();
    expect(status).toBe("200");
  });
});

describe("the Passkeys page, on localhost with a virtual authenticator (a stand-in answers USER_AUTH and passkeys)", () => {
  let context: BrowserContext;
  let tab: Page;
  let cdp: CDPSession;
  let authenticatorId: string;

  const who = () => tab.locator("header #who");
  const login = () => tab.locator("cognito-login");
  const profile = () => tab.locator("cognito-profile");
  /** Sign counts of the authenticator's credentials: an assertion raises its credential's. */
  async function signCounts(): Promise<number[]> {
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    return credentials.map((credential) => credential.signCount);
  }

  beforeAll(async () => {
    // A context of its own: this page's app client keeps its own session.
    context = await browser.newContext({ viewport: { width: 1100, height: 850 } });
    tab = await context.newPage();
    cdp = await context.newCDPSession(tab);
    await cdp.send("WebAuthn.enable");
    ({ authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    }));
  });

  afterAll(async () => {
    await context?.close();
  });

  test("npm start printed the page on localhost and named the stand-in", () => {
    expect(demo.passkeysUrl).toBe(`http://localhost:${demo.ports.DEMO_PORT}/passkeys`);
    expect(demo.output()).toMatch(/STAND-IN for Cognito's USER_AUTH and passkeys on http:\/\/127\.0\.0\.1:\d+\//);
  });

  test("on 127.0.0.1 the page says to open it on localhost, where passkeys work", async () => {
    await page.goto(new URL("/passkeys", demo.pageUrl).href);
    const notice = page.locator("#use-localhost");
    await expect.poll(() => notice.isVisible()).toBe(true);
    expect(await notice.getByRole("link").getAttribute("href")).toBe(demo.passkeysUrl);
  });

  test("signs in with an email code: the page says the code is 123456", async () => {
    await tab.goto(demo.passkeysUrl);
    await expect.poll(() => tab.locator("#stand-in").textContent()).toContain("always 123456");
    await login().getByLabel("Username").fill("admin");
    await login().getByRole("button", { name: "Continue" }).click();
    // admin has no passkey yet: the stand-in answers SELECT_CHALLENGE with the password and a code.
    await login().getByRole("button", { name: "Email me a code" }).click();
    await login().getByRole("textbox", { name: "Code" }).fill("123456");
    await shot("passkeys-email-code", tab);
    await login().getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => who().textContent()).toBe("Ada Admin");
  });

  test("adds a passkey in the profile, held by the authenticator", async () => {
    await profile().getByRole("button", { name: "Add a passkey" }).click();
    await expect.poll(() => profile().textContent()).toContain("Passkey added. You can sign in with it now.");
    expect(await profile().locator(".passkeys li").count()).toBe(1);
    expect(await signCounts()).toHaveLength(1);
    await shot("passkeys-added", tab);
  });

  test("signs out, signs in with the passkey, and the gate accepts its access token", async () => {
    const [before] = await signCounts();
    await tab.locator("header").getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => login().getByLabel("Username").isVisible()).toBe(true);
    await login().getByLabel("Username").fill("admin");
    // The page prefers a passkey: the ceremony starts at once and the authenticator answers.
    await login().getByRole("button", { name: "Continue" }).click();
    await expect.poll(() => who().textContent()).toBe("Ada Admin");
    expect((await signCounts())[0]).toBeGreaterThan(before!);

    const output = tab.locator("#api-result");
    await tab.getByRole("button", { name: "Call the API" }).click();
    await expect.poll(() => output.getAttribute("data-status")).toBe("200");
    const text = (await output.textContent())!;
    const { sub } = await adminGetUser("admin");
    const { passkeysClientId } = await seeded();
    expect(JSON.parse(text.slice(text.indexOf("\n") + 1))).toMatchObject({ sub, username: "admin", groups: ["admin"], clientId: passkeysClientId });
    await shot("passkeys-api-200", tab);
  });
});
