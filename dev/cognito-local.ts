/**
 * A real cognito-local for tests, the demo and the bench: started in a fresh temp dir on a free
 * 127.0.0.1 port, with every emailed/SMS code fixed to CODE, and stopped (dir removed) by `stop()`.
 *
 * Usage:
 *   const cognito = await startCognitoLocal();
 *   const pool = await cognito.createPool({ accessTokenValiditySeconds: 5 });
 *   const user = await pool.createUser({ groups: ["admin"] });
 *   const tokens = await pool.signIn(user.username, user.password);
 *   await cognito.stop();
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestPool, type PoolOptions, type TestPool } from "./pool.ts";
import { freePort, waitFor } from "./ports.ts";

export const CODE = "123456";
export type { PoolOptions, TestPool, TestUser, Tokens, UserOptions } from "./pool.ts";
export { freePort, waitFor } from "./ports.ts";

export interface CognitoLocal {
  /** `http://127.0.0.1:<port>/`, for amazon-cognito-identity-js's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** The lines cognito-local has logged so far (messages with codes appear here). */
  readonly log: string[];
  call<T = any>(target: string, body: unknown): Promise<T>;
  createPool(options?: PoolOptions): Promise<TestPool>;
  stop(): Promise<void>;
}


function cognitoLocalBin(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve("cognito-local/package.json"), "..", "lib", "bin", "start.js");
}

export async function startCognitoLocal(options: { port?: number; dataDir?: string } = {}): Promise<CognitoLocal> {
  const port = options.port ?? (await freePort());
  const dir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "cognito-local-")));
  // cognito-local defaults every pool to email-as-username; tests want plain usernames unless a
  // pool asks for `usernameAttributes: ["email"]`.
  await mkdir(join(dir, ".cognito"), { recursive: true });
  await writeFile(join(dir, ".cognito", "config.json"), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
  const log: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [cognitoLocalBin()], {
    cwd: dir,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), CODE, NODE_NO_WARNINGS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => log.push(...chunk.toString().split("\n").filter(Boolean));
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A crash mid-run fails every later test with ECONNREFUSED: say why, once, where it happened.
  child.once("exit", (code, signal) => {
    if (!stopping) process.stderr.write(`cognito-local exited unexpectedly (${signal ?? code}):\n${log.slice(-20).join("\n")}\n`);
  });
  // If whoever started it dies without stop() (a crash, process.exit), don't leave it running.
  const killOnExit = () => child.kill();
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));
  const endpoint = `http://127.0.0.1:${port}/`;
  try {
    await waitFor(`${endpoint}health`);
  } catch (error) {
    child.kill();
    throw new Error(`cognito-local did not start: ${log.join("\n")}`, { cause: error });
  }

  async function call<T>(target: string, body: unknown): Promise<T> {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${target}`,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const error = new Error(`${target} failed: ${json.__type ?? response.status} ${json.message ?? ""}`);
      (error as any).code = json.__type ?? json.code;
      throw error;
    }
    return json as T;
  }

  const createPool = (poolOptions: PoolOptions = {}) =>
    createTestPool(call, poolOptions, {
      issuer: (poolId) => `http://127.0.0.1:${port}/${poolId}`,
      jwksUri: (poolId) => `http://127.0.0.1:${port}/${poolId}/.well-known/jwks.json`,
    });

  async function stop(): Promise<void> {
    stopping = true;
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    if (!options.dataDir) await rm(dir, { recursive: true, force: true });
  }

  return { endpoint, port, log, call, createPool, stop };
}
