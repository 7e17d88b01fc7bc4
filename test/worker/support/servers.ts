/**
 * Real HTTP servers on 127.0.0.1 for gate tests: an origin that records what reaches it, and a
 * key-set server that counts fetches and can be told to fail in each way SECURITY 19 lists.
 */
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { JWK } from "jose";

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export interface RecordedRequest {
  method: string;
  /** The request target exactly as it arrived. */
  url: string;
  host: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Origin {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Headers the next answers carry (e.g. a Cache-Control of the origin's own). */
  responseHeaders: Record<string, string>;
  /** Answer with a gzip-encoded body, as a compressing origin would. */
  gzip: boolean;
  close(): Promise<void>;
}

/** An origin answering 200 JSON `{ ok: true }` to everything and recording each request. */
export async function startOrigin(): Promise<Origin> {
  const requests: RecordedRequest[] = [];
  const origin: Origin = {
    url: "",
    requests,
    responseHeaders: {},
    gzip: false,
    close: () => close(server),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", host: req.headers.host, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const body = JSON.stringify({ ok: true });
      const encoding = origin.gzip ? { "content-encoding": "gzip" } : {};
      res.writeHead(200, { "content-type": "application/json", ...encoding, ...origin.responseHeaders });
      res.end(origin.gzip ? gzipSync(body) : body);
    });
  });
  (origin as { url: string }).url = await listen(server);
  return origin;
}

export type KeySetMode = "ok" | "500" | "hang" | "html" | "redirect" | "not-a-set";

export interface KeySetServer {
  /** Issuer the forged tokens carry: `<server>/forged_pool`. */
  readonly issuer: string;
  /** `<issuer>/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** Key-set requests received so far. */
  fetches: number;
  keys: JWK[];
  mode: KeySetMode;
  close(): Promise<void>;
}

/** Serves `keys` as a JWKS and counts every request made to it. */
export async function startKeySetServer(keys: JWK[] = []): Promise<KeySetServer> {
  const state: KeySetServer = { issuer: "", jwksUri: "", fetches: 0, keys, mode: "ok", close: () => close(server) };
  const server = createServer((req, res) => {
    state.fetches++;
    switch (state.mode) {
      case "hang":
        return; // never answers; the gate's timeout must fire
      case "500":
        res.writeHead(500).end("boom");
        return;
      case "html":
        res.writeHead(200, { "content-type": "text/html" }).end("<html><body>maintenance</body></html>");
        return;
      case "redirect":
        res.writeHead(302, { location: `http://127.0.0.1:1${req.url}` }).end();
        return;
      case "not-a-set":
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: "none" }));
        return;
      case "ok":
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: state.keys }));
    }
  });
  const base = await listen(server);
  Object.assign(state, { issuer: `${base}/forged_pool`, jwksUri: `${base}/forged_pool/.well-known/jwks.json` });
  return state;
}

/** A server that must never be contacted (the target of `jku`/`x5u` headers); counts hits. */
export async function startTrap(): Promise<{ url: string; hits: number; close(): Promise<void> }> {
  const trap = { url: "", hits: 0, close: () => close(server) };
  const server = createServer((_req, res) => {
    trap.hits++;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [] }));
  });
  trap.url = await listen(server);
  return trap;
}
