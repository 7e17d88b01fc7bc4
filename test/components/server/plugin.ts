/**
 * The web-test-runner plugin that gives browser tests a real cognito-local: one instance for the
 * whole run, reached by the browser directly over HTTP (it answers CORS with `*`), and server
 * commands (via executeServerCommand) to create pools and users and to inspect them.
 */
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { freePort, startCognitoLocal, type CognitoLocal, type PoolOptions, type TestPool, type UserOptions } from "../../support/cognito-local.ts";
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

export function cognitoPlugin(options: { screenshotDir: string }) {
  let cognito: CognitoLocal | undefined;
  let standIn: StandIn | undefined;
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
      return (await pool(payload.poolId).getUser(payload.username)) ?? null;
    },
    async "cognito:addToGroup"(payload: { poolId: string; username: string; group: string }) {
      const target = pool(payload.poolId);
      await target.createGroup(payload.group);
      await target.addToGroup(payload.username, payload.group);
      return null;
    },
    async "cognito:call"(payload: { target: string; body: unknown }) {
      return cognito!.call(payload.target, payload.body);
    },
    /** A URL where nothing listens: the browser's fetch fails like a network outage. */
    async "cognito:deadEndpoint"() {
      return `http://127.0.0.1:${await freePort()}/`;
    },
    async "standIn:start"() {
      standIn ??= await startStandIn(cognito!.endpoint);
      return { endpoint: standIn.endpoint };
    },
    async "standIn:calls"() {
      return standIn?.calls ?? [];
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
      cognito = await startCognitoLocal();
    },
    async serverStop() {
      await standIn?.stop();
      await cognito?.stop();
    },
    async executeCommand({ command, payload, session }: { command: string; payload: unknown; session: Session }) {
      const run = commands[command];
      return run ? run(payload, session) : undefined;
    },
  };
}
