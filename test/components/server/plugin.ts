/**
 * The web-test-runner plugin that gives browser tests a real cognito-local: one instance for the
 * whole run, reached by the browser directly over HTTP (it answers CORS with `*`), and server
 * commands (via executeServerCommand) to create pools and users and to inspect them.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePort, startCognitoLocal, type CognitoLocal, type PoolOptions, type TestPool, type UserOptions } from "../../../dev/cognito-local.ts";
import { startFlakyApi, startGate, type FlakyApi, type GateStack } from "./gate.ts";
import { submitHostedForm, type AutomatedPage, type HostedFormInput } from "./hosted.ts";
import { startMfaSetupStandIn, type MfaSetupStandIn } from "./mfa-setup-stand-in.ts";
import { openPasskeyPage, type PasskeyPage, type PuppeteerPage } from "./passkey-page.ts";
import { startPasswordlessStandIn, type PasswordlessStandIn } from "../../../dev/passwordless-stand-in.ts";
import { startRotationStandIn, type RotationStandIn } from "./rotation-stand-in.ts";
import { giveSmsMfa } from "./sms-mfa.ts";
import { startStandIn, type StandIn } from "./stand-in.ts";

interface Session {
  readonly id: string;
  readonly browser: { getPage?(id: string): ScreenshotPage };
}
interface ScreenshotPage {
  screenshot(options: { path: string; clip?: Clip; fullPage?: boolean }): Promise<unknown>;
}
interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function cognitoPlugin(options: { screenshotDir: string; root: string }) {
  let cognito: CognitoLocal | undefined;
  let standIn: StandIn | undefined;
  let mfaSetupStandIn: MfaSetupStandIn | undefined;
  let rotationStandIn: RotationStandIn | undefined;
  let passwordlessStandIn: PasswordlessStandIn | undefined;
  let passkeyPage: PasskeyPage | undefined;
  /** cognito-local's data dir, kept across restarts (sms-mfa.ts needs one). */
  let dataDir = "";
  const gates: GateStack[] = [];
  const flaky: FlakyApi[] = [];
  const pools = new Map<string, TestPool>();

  function pool(poolId: unknown): TestPool {
    const found = pools.get(String(poolId));
    if (!found) throw new Error(`unknown pool ${String(poolId)}`);
    return found;
  }

  const commands: Record<string, (payload: any, session: Session) => Promise<unknown>> = {
    async "cognito:createPool"(payload: PoolOptions = {}) {
      const created = await cognito!.createPool(payload);
      pools.set(created.poolId, created);
      return { poolId: created.poolId, clientId: created.clientId, issuer: created.issuer, endpoint: cognito!.endpoint };
    },
    async "cognito:createUser"(payload: UserOptions & { poolId: string }) {
      const { poolId, ...rest } = payload;
      return pool(poolId).createUser(rest);
    },
    async "cognito:getUser"(payload: { poolId: string; username: string }) {
      // wtr reads a null result as "command not handled": answer false for "no such user".
      return (await pool(payload.poolId).getUser(payload.username)) ?? false;
    },
    /** Cognito API call; a Cognito error comes back as `{ error }` (thrown again in the browser) instead of a server log. */
    async "cognito:call"(payload: { target: string; body: unknown }) {
      try {
        return await cognito!.call(payload.target, payload.body);
      } catch (error) {
        return { error: String((error as { code?: unknown }).code ?? "Error") };
      }
    },
    /** A URL where nothing listens: the browser's fetch fails like a network outage. */
    async "cognito:deadEndpoint"() {
      return `http://127.0.0.1:${await freePort()}/`;
    },
    /** Types the user's credentials into cognito-local's hosted sign-in form in the page's iframe (issue 9). */
    async "hosted:submitForm"(payload: HostedFormInput, session: Session) {
      return submitHostedForm(session.browser.getPage?.(session.id) as unknown as AutomatedPage, cognito!.endpoint, payload);
    },
    async "standIn:start"() {
      standIn ??= await startStandIn(cognito!.endpoint);
      return { endpoint: standIn.endpoint };
    },
    async "standIn:calls"() {
      return standIn?.calls ?? [];
    },
    /** SMS MFA for users (with a phone_number): edits the pool file and restarts cognito-local on the same port. */
    async "cognito:smsMfa"(payload: { poolId: string; usernames: string[] }) {
      const port = cognito!.port;
      await cognito!.stop();
      await giveSmsMfa(dataDir, payload.poolId, payload.usernames);
      cognito = await startCognitoLocal({ port, dataDir });
      return true;
    },
    async "mfaSetupStandIn:start"() {
      mfaSetupStandIn ??= await startMfaSetupStandIn(cognito!.endpoint);
      return { endpoint: mfaSetupStandIn.endpoint };
    },
    async "mfaSetupStandIn:calls"() {
      return mfaSetupStandIn?.calls ?? [];
    },
    async "rotationStandIn:start"() {
      rotationStandIn ??= await startRotationStandIn(cognito!.endpoint);
      return { endpoint: rotationStandIn.endpoint };
    },
    async "rotationStandIn:rotations"() {
      return rotationStandIn?.rotations ?? [];
    },
    /** The USER_AUTH and passkey stand-in (dev/passwordless-stand-in.ts) in front of cognito-local, serving `poolId`. */
    async "passwordless:start"(payload: { poolId: string }) {
      const target = pool(payload.poolId);
      passwordlessStandIn ??= await startPasswordlessStandIn(cognito!.endpoint);
      passwordlessStandIn.addPool({ poolId: target.poolId, clientId: target.clientId, userVerification: "required" });
      return { endpoint: passwordlessStandIn.endpoint };
    },
    async "passwordless:calls"() {
      return passwordlessStandIn?.calls ?? [];
    },
    async "passwordless:seedPasskey"(payload: { sub: string }) {
      passwordlessStandIn?.seedPasskey(payload.sub);
      return true;
    },
    async "passwordless:passkeys"(payload: { sub: string }) {
      return passwordlessStandIn?.passkeys(payload.sub) ?? [];
    },
    /**
     * A second tab at http://localhost (WebAuthn refuses IP-address origins such as the test
     * page's 127.0.0.1) with frame.html's elements and a virtual authenticator on the DevTools
     * protocol: ctap2, internal, resident keys, user verification as `userVerified` says.
     */
    async "passkeyPage:open"(payload: { query: Record<string, string>; userVerified: boolean }, session: Session) {
      await passkeyPage?.close();
      passkeyPage = await openPasskeyPage(session.browser.getPage?.(session.id) as unknown as PuppeteerPage, payload.query, payload.userVerified);
      return true;
    },
    /** Runs a self-contained function (its source) in the passkey tab; answers what it resolves to. */
    async "passkeyPage:run"(payload: { source: string; arg?: unknown }) {
      if (!passkeyPage) throw new Error("no passkey page open");
      return (await passkeyPage.run(payload.source, payload.arg)) ?? false;
    },
    async "passkeyPage:userVerified"(payload: { value: boolean }) {
      await passkeyPage?.setUserVerified(payload.value);
      return true;
    },
    /** The virtual authenticator's credentials: whether each is resident (discoverable), and its sign count. */
    async "passkeyPage:credentials"() {
      return (await passkeyPage?.credentials()) ?? [];
    },
    async "passkeyPage:close"() {
      await passkeyPage?.close();
      passkeyPage = undefined;
      return true;
    },
    /** The edge gate on workerd for this pool, in front of a recording origin. */
    async "gate:start"(payload: { poolId: string; pageOrigin: string }) {
      const target = pool(payload.poolId);
      const gate = await startGate({ issuer: target.issuer, clientId: target.clientId, pageOrigin: payload.pageOrigin, root: options.root });
      gates.push(gate);
      return { gateUrl: gate.gateUrl, index: gates.length - 1 };
    },
    async "gate:originRequests"(payload: { index: number }) {
      return gates[payload.index]?.originRequests.map(({ path, headers }) => ({ path, sub: headers["x-auth-sub"] ?? null })) ?? [];
    },
    async "flaky:start"(payload: { pageOrigin: string }) {
      const api = await startFlakyApi(payload.pageOrigin);
      flaky.push(api);
      return { url: api.url, index: flaky.length - 1 };
    },
    async "flaky:authorizations"(payload: { index: number }) {
      // Only whether each request carried a Bearer token and which distinct token it was, not the token.
      const seen = flaky[payload.index]?.authorizations ?? [];
      const ids = new Map<string, number>();
      return seen.map((value) => (value.startsWith("Bearer ey") ? (ids.has(value) ? ids.get(value)! : (ids.set(value, ids.size), ids.size - 1)) : -1));
    },
    /** Lets the page use the clipboard, as a user who allowed it (headless Chromium asks no one). */
    async "clipboard:grant"(_payload: unknown, session: Session) {
      const page = session.browser.getPage?.(session.id) as unknown as { url(): string; browserContext(): { overridePermissions(origin: string, permissions: string[]): Promise<void> } };
      await page.browserContext().overridePermissions(new URL(page.url()).origin, ["clipboard-read", "clipboard-write", "clipboard-sanitized-write"]);
      return true;
    },
    async screenshot(payload: { name: string; clip?: Clip }, session: Session) {
      const page = session.browser.getPage?.(session.id);
      if (!page) throw new Error("this browser launcher cannot take screenshots");
      const path = join(options.screenshotDir, `${payload.name.replace(/[^\w.-]+/g, "_")}.png`);
      await mkdir(dirname(path), { recursive: true });
      await page.screenshot(payload.clip ? { path, clip: payload.clip } : { path, fullPage: true });
      return path;
    },
  };

  return {
    name: "cognito-local",
    async serverStart() {
      dataDir = await mkdtemp(join(tmpdir(), "cognito-local-"));
      cognito = await startCognitoLocal({ dataDir });
    },
    async serverStop() {
      for (const gate of gates) await gate.stop();
      for (const api of flaky) await api.stop();
      await standIn?.stop();
      await mfaSetupStandIn?.stop();
      await rotationStandIn?.stop();
      await passkeyPage?.close();
      await passwordlessStandIn?.stop();
      await cognito?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
    async executeCommand({ command, payload, session }: { command: string; payload: unknown; session: Session }) {
      const run = commands[command];
      return run ? run(payload, session) : undefined;
    },
  };
}
