/**
 * A second browser tab for real WebAuthn ceremonies. Chromium refuses WebAuthn on IP-address
 * origins ("This is an invalid domain"), and the test page is served from 127.0.0.1; this tab loads
 * the same test server's frame.html from http://localhost instead, so the relying party id is
 * `localhost`. Its authenticator is Chromium's virtual one, added over the DevTools protocol
 * (WebAuthn.enable, WebAuthn.addVirtualAuthenticator): the ceremonies, keys and signatures are real.
 */

interface CdpSession {
  send(method: string, params?: object): Promise<any>;
  detach(): Promise<void>;
}

export interface PuppeteerPage {
  url(): string;
  browser(): { newPage(): Promise<PuppeteerPage> };
  goto(url: string, options?: { waitUntil?: string }): Promise<unknown>;
  createCDPSession(): Promise<CdpSession>;
  evaluate(source: string): Promise<unknown>;
  bringToFront(): Promise<void>;
  waitForFunction(source: string, options?: { timeout?: number }): Promise<unknown>;
  close(): Promise<void>;
}

export interface PasskeyPage {
  run(source: string, arg: unknown): Promise<unknown>;
  setUserVerified(value: boolean): Promise<void>;
  credentials(): Promise<Array<{ resident: boolean; signCount: number }>>;
  close(): Promise<void>;
}

export async function openPasskeyPage(testPage: PuppeteerPage, query: Record<string, string>, userVerified: boolean): Promise<PasskeyPage> {
  const port = new URL(testPage.url()).port;
  const page = await testPage.browser().newPage();
  const cdp = await page.createCDPSession();
  // WebAuthn asks for a focused document; the test page keeps focus elsewhere.
  await cdp.send("Emulation.setFocusEmulationEnabled", { enabled: true });
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: userVerified, automaticPresenceSimulation: true },
  });
  await page.goto(`http://localhost:${port}/test/.build/frame.html?${new URLSearchParams(query)}`, { waitUntil: "load" });
  await page.waitForFunction("window.cognitoTest && window.cognitoTest.status() !== 'loading'", { timeout: 10_000 });
  return {
    run: (source, arg) => page.evaluate(`(${source})(${JSON.stringify(arg ?? null)})`),
    setUserVerified: (value) => cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: value }),
    async credentials() {
      const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
      return (credentials as Array<{ isResidentCredential: boolean; signCount: number }>).map((item) => ({ resident: item.isResidentCredential, signCount: item.signCount }));
    },
    async close() {
      await cdp.detach().catch(() => {});
      await page.close();
      await testPage.bringToFront();
    },
  };
}
