/**
 * Runs `npm start` as a user would, on free ports and a fresh data dir, and reads the start-up
 * block it prints. `stop()` sends Ctrl-C (SIGINT) and waits for it to exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../../dev/cognito-local.ts";

export interface RunningDemo {
  pageUrl: string;
  /** The Passkeys page, on http://localhost. */
  passkeysUrl: string;
  gateUrl: string;
  /** Where this run's emulator keeps its data; `pool.json` names the seeded pool. */
  dataDir: string;
  output: () => string;
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
  ports: Record<string, number>;
}

const root = resolve(import.meta.dirname, "..", "..");

export async function npmStart(env: Record<string, string> = {}): Promise<RunningDemo> {
  const ports: Record<string, number> = {};
  for (const name of ["DEMO_PORT", "GATE_PORT", "ORIGIN_PORT", "COGNITO_PORT", "MOTO_PORT", "STAND_IN_PORT"]) {
    ports[name] = env[name] ? Number(env[name]) : await freePort();
  }
  const dataDir = await mkdtemp(join(tmpdir(), "demo-"));
  const child: ChildProcess = spawn("npm", ["start"], {
    cwd: root,
    env: { ...process.env, DEMO_DATA_DIR: dataDir, ...env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // npm, tsx and node in one group, as a terminal's Ctrl-C would reach them
  });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not print its block within 120 s:\n${text}`)), 120_000);
    const check = () => {
      if (/Ctrl-C stops everything/.test(text)) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout!.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${text}`));
    });
  });

  const pageUrl = /Page\s+(http\S+)/.exec(text)![1]!;
  const gateUrl = /Gate\s+(http\S+)/.exec(text)![1]!;
  const passkeysUrl = /Passkeys\s+(http\S+)/.exec(text)![1]!;
  return {
    pageUrl,
    passkeysUrl,
    gateUrl,
    dataDir,
    ports,
    output: () => text,
    async stop() {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGINT");
      const code = await exited;
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
