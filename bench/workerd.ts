/**
 * The gate on workerd, from Node: worker/index.ts bundled by esbuild (as wrangler bundles it) and
 * run by Miniflare on 127.0.0.1, plus the /proc bookkeeping that yields the CPU time of the
 * workerd process Miniflare spawned (a child of this process).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";

const root = resolve(import.meta.dirname, "..");

export function compatibilityDate(): string {
  try {
    const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
    return /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? "2026-04-01";
  } catch {
    return "2026-04-01";
  }
}

/** How the benches bundle code for workerd: jose's and aws-jwt-verify's workerd builds, in memory. */
export const WORKERD_BUILD = {
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  target: "es2022",
  write: false,
  logLevel: "silent",
} as const satisfies esbuild.BuildOptions;

export async function bundleGate(): Promise<string> {
  const built = await esbuild.build({ ...WORKERD_BUILD, entryPoints: [join(root, "worker", "index.ts")] });
  return built.outputFiles[0]!.text;
}

export interface Workerd {
  url: URL;
  /** The workerd process(es) Miniflare started for this instance. */
  pids: number[];
  /** Seconds of CPU (user + system) those processes have used so far. */
  cpuSeconds(): number;
  dispose(): Promise<void>;
}

const TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may hold spaces; fields after it start at state (field 3).
    const close = text.lastIndexOf(")");
    const rest = text.slice(close + 2).split(" ");
    return { pid, comm: text.slice(text.indexOf("(") + 1, close), ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined;
  }
}

function descendants(pid: number): Stat[] {
  const all = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map((d) => stat(Number(d))).filter((s): s is Stat => !!s);
  const out: Stat[] = [];
  const walk = (parent: number) => {
    for (const s of all) if (s.ppid === parent) out.push(s), walk(s.pid);
  };
  walk(pid);
  return out;
}

export async function startWorkerd(script: string, bindings: Record<string, string>, extra: { inspectorPort?: number } = {}): Promise<Workerd> {
  const before = new Set(descendants(process.pid).filter((s) => s.comm === "workerd").map((s) => s.pid));
  const mf = new Miniflare({
    modules: true,
    script,
    bindings,
    compatibilityDate: compatibilityDate(),
    host: "127.0.0.1",
    port: 0,
    ...extra,
  });
  const url = await mf.ready;
  const pids = descendants(process.pid).filter((s) => s.comm === "workerd" && !before.has(s.pid)).map((s) => s.pid);
  if (pids.length === 0) throw new Error("no workerd process found among this process's children");
  return {
    url,
    pids,
    cpuSeconds: () => pids.reduce((sum, pid) => sum + (stat(pid)?.ticks ?? 0), 0) / TICKS,
    dispose: () => mf.dispose(),
  };
}

export interface Origin {
  url: string;
  hits: number;
  close(): Promise<void>;
}

/** The trivial origin: a small JSON 200 for every request. */
export async function startOrigin(): Promise<Origin> {
  const body = JSON.stringify({ ok: true });
  const origin: Origin = { url: "", hits: 0, close: async () => {} };
  const server: Server = createServer((_req, res) => {
    origin.hits++;
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  origin.close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return origin;
}

/** A worker that forwards every request to the origin and does nothing else: the floor. */
export function bareProxyScript(originUrl: string): string {
  return `export default { async fetch(request) {
    const url = new URL(request.url);
    const response = await fetch(${JSON.stringify(originUrl)} + url.pathname + url.search, { headers: request.headers });
    return new Response(response.body, response);
  } };`;
}
