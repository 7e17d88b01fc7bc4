/**
 * How the benches reach the gate without knowing its file layout: every module under worker/
 * is imported and searched for the exported `handle(request, config, deps)` and
 * `parseConfig(env)` (DESIGN.md, STYLE.md rule 9–10). Also the loopback key-set server whose
 * request count is the "key-set fetches" figure, and the stub origin for in-process runs.
 */
import { existsSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");

export type Env = Record<string, string>;
export interface Deps {
  fetch: typeof fetch;
  now: () => number;
  [extra: string]: unknown;
}
export interface Gate {
  /** Absent while worker/ is being written; the reason is in `missing`. */
  handle?: (request: Request, config: unknown, deps: Deps) => Promise<Response>;
  parseConfig?: (env: Env) => unknown;
  missing?: string;
  /** Whatever else the gate exports that `deps` may need (e.g. a key-set factory). */
  exports: Record<string, unknown>;
  /** Which files held what, for the report. */
  from: string;
}

export async function loadGate(): Promise<Gate> {
  const dir = join(root, "worker");
  if (!existsSync(dir)) return { exports: {}, from: "", missing: "worker/ does not exist yet" };
  const files = readdirSync(dir).filter((f) => /\.ts$/.test(f) && !/^(index|deno)\.ts$/.test(f) && !/\.d\.ts$/.test(f));
  const exports: Record<string, unknown> = {};
  const where: Record<string, string> = {};
  for (const file of ["index.ts", ...files.sort()]) {
    if (!existsSync(join(dir, file))) continue;
    try {
      const mod = await import(pathToFileURL(join(dir, file)).href);
      for (const [name, value] of Object.entries(mod)) {
        if (name === "default" || name in exports) continue;
        exports[name] = value;
        where[name] = file;
      }
    } catch (error) {
      where[`!${file}`] = String(error);
    }
  }
  const handle = exports.handle;
  const parseConfig = exports.parseConfig;
  const failed = Object.entries(where).filter(([name]) => name.startsWith("!")).map(([name, e]) => `${name.slice(1)}: ${e}`);
  const gate: Gate = { exports, from: `handle from worker/${where.handle}, parseConfig from worker/${where.parseConfig}` };
  if (typeof handle === "function") gate.handle = handle as Gate["handle"];
  if (typeof parseConfig === "function") gate.parseConfig = parseConfig as Gate["parseConfig"];
  if (!gate.handle || !gate.parseConfig) {
    gate.missing = `worker/ exports no handle()/parseConfig() yet${failed.length ? ` (${failed.join("; ")})` : ""}`;
  }
  return gate;
}

export interface KeySetServer {
  url: string;
  /** Number of GETs the server answered since start or the last `reset()`. */
  readonly fetches: number;
  reset(): void;
  /** What the server answers from now on. */
  serve(jwks: unknown): void;
  close(): Promise<void>;
}

/**
 * A loopback server answering every path with the current key set: the issuer is
 * `${url}/${pool}`, so the gate fetches `${url}/${pool}/.well-known/jwks.json`.
 */
export async function startKeySetServer(jwks: unknown): Promise<KeySetServer> {
  let body = JSON.stringify(jwks);
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=300" });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get fetches() {
      return fetches;
    },
    reset: () => void (fetches = 0),
    serve: (jwks) => void (body = JSON.stringify(jwks)),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/**
 * deps.fetch for in-process runs: the origin answers at once from memory (so its cost is not
 * measured); anything else, i.e. the key set, goes to the real loopback server.
 */
export function stubDeps(originUrl: string, extra: Record<string, unknown> = {}): Deps & { originHits: number } {
  const originBody = JSON.stringify({ ok: true });
  const deps = {
    originHits: 0,
    now: () => Date.now(),
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (url.startsWith(originUrl)) {
        deps.originHits++;
        return new Response(originBody, { status: 200, headers: { "content-type": "application/json" } });
      }
      return fetch(input, init);
    }) as typeof fetch,
    ...extra,
  };
  return deps;
}

/** Env for the gate in front of `originUrl`, trusting `issuer` (a loopback key-set server). */
export function gateEnv(issuer: string, clientId: string, originUrl: string, extra: Env = {}): Env {
  const poolId = issuer.slice(issuer.lastIndexOf("/") + 1);
  return {
    COGNITO_USER_POOL_ID: poolId,
    COGNITO_CLIENT_ID: clientId,
    COGNITO_ISSUER: issuer,
    ORIGIN_URL: originUrl,
    ...extra,
  };
}
