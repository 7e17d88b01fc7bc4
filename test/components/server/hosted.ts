/**
 * Drives cognito-local's hosted sign-in form (its stand-in for Google, a SAML IdP …) in the test
 * page's iframe. The form is on the emulator's origin, so the test page cannot reach into it; the
 * browser's own automation (puppeteer, which web-test-runner drives Chromium with) types and
 * clicks there like a user.
 */

interface Frame {
  url(): string;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  type(selector: string, text: string): Promise<void>;
  click(selector: string): Promise<void>;
  $eval(selector: string, fn: (element: any, value: string) => unknown, value: string): Promise<unknown>;
}
export interface AutomatedPage {
  frames(): Frame[];
}

export interface HostedFormInput {
  readonly username: string;
  readonly password: string;
  /** Replaces the `state` the form would send back (an attacker's or a corrupted one). */
  readonly state?: string;
}

/** Waits for the form, fills it, submits it; answers the authorize URL the element navigated to. */
export async function submitHostedForm(page: AutomatedPage, endpoint: string, input: HostedFormInput): Promise<{ authorizeUrl: string }> {
  const deadline = Date.now() + 10_000;
  let frame: Frame | undefined;
  while (!(frame = page.frames().find((candidate) => candidate.url().startsWith(`${endpoint}oauth2/authorize`)))) {
    if (Date.now() > deadline) throw new Error(`no frame at ${endpoint}oauth2/authorize (frames: ${page.frames().map((f) => f.url()).join(", ")})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await frame.waitForSelector('input[name="username"]', { timeout: 10_000 });
  const authorizeUrl = frame.url();
  if (input.state !== undefined) {
    await frame.$eval('input[name="state"]', (element, value) => (element.value = value), input.state);
  }
  await frame.type('input[name="username"]', input.username);
  await frame.type('input[name="password"]', input.password);
  await frame.click('button[type="submit"]');
  return { authorizeUrl };
}
