/**
 * The gate on workerd, from Node: worker/cloudflare.ts bundled by esbuild (as wrangler bundles it) and
 * run by Miniflare on 127.0.0.1, or by the workerd binary itself from a minimal config (no
 * Miniflare entry worker in front), plus the /proc bookkeeping that yields the CPU time of the
 * workerd process (a child of this process).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { freePort } from "../dev/cognito-local.ts";
import { compatibilityDate } from "../dev/workerd-build.ts";

export interface Workerd {
  url: URL;
  /** Seconds of CPU (user + system) the workerd process(es) of this instance have used so far. */
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
    cpuSeconds: () => pids.reduce((sum, pid) => sum + (stat(pid)?.ticks ?? 0), 0) / TICKS,
    dispose: () => mf.dispose(),
  };
}

/** Resolves once `url` answers anything at all (the gate answers 401 to a bare GET). */
async function answering(url: URL, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await (await fetch(url)).body?.cancel();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url.href} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** The workerd binary Miniflare runs (the `workerd` package, a dependency of miniflare). */
function workerdBinary(): string {
  const fromMiniflare = createRequire(createRequire(import.meta.url).resolve("miniflare"));
  return (fromMiniflare("workerd") as { default: string }).default;
}

/**
 * The script served by workerd alone: one worker on one 127.0.0.1 socket, its bindings as text,
 * outbound fetches allowed to loopback. What Cloudflare runs is closer to this than to Miniflare,
 * whose entry worker handles every request first (about 600 µs of CPU per request here).
 */
export async function startWorkerdDirect(script: string, bindings: Record<string, string>): Promise<Workerd> {
  const dir = mkdtempSync(join(tmpdir(), "gate-bench-workerd-"));
  const port = await freePort();
  const text = (value: string) => JSON.stringify(value);
  writeFileSync(join(dir, "worker.js"), script);
  writeFileSync(
    join(dir, "config.capnp"),
    [
      `using Workerd = import "/workerd/workerd.capnp";`,
      `const config :Workerd.Config = (`,
      `  services = [`,
      `    (name = "main", worker = (`,
      `      modules = [(name = "worker.js", esModule = embed "worker.js")],`,
      `      compatibilityDate = ${text(compatibilityDate())},`,
      `      bindings = [${Object.entries(bindings).map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`).join(", ")}],`,
      `      globalOutbound = "loopback")),`,
      `    (name = "loopback", network = (allow = ["local", "private", "public"])),`,
      `  ],`,
      `  sockets = [(name = "http", address = ${text(`127.0.0.1:${port}`)}, http = (), service = "main")],`,
      `);`,
    ].join("\n"),
  );
  const child = spawn(workerdBinary(), ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const url = new URL(`http://127.0.0.1:${port}/`);
  try {
    await Promise.race([
      answering(url, 15_000),
      exited.then(() => Promise.reject(new Error(`workerd exited: ${stderr.trim()}`))),
    ]);
  } catch (error) {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const pid = child.pid!;
  return {
    url,
    cpuSeconds: () => (stat(pid)?.ticks ?? 0) / TICKS,
    async dispose() {
      child.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Origin {
  url: string;
  close(): Promise<void>;
}

/** The trivial origin: a small JSON 200 for every request. */
export async function startOrigin(): Promise<Origin> {
  const body = JSON.stringify({ ok: true });
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A worker that forwards every request to the origin and does nothing else: the floor. */
export function bareProxyScript(originUrl: string): string {
  return `export default { async fetch(request) {
    const url = new URL(request.url);
    const response = await fetch(${JSON.stringify(originUrl)} + url.pathname + url.search, { headers: request.headers });
    return new Response(response.body, response);
  } };`;
}
