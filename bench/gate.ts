/**
 * The loopback key-set server whose request count is the "key-set fetches" figure, and the
 * environment the benches give the gate.
 */
import { createServer, type Server } from "node:http";

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

/** Env for the gate in front of `originUrl`, trusting `issuer` (a loopback key-set server). */
export function gateEnv(issuer: string, clientId: string, originUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const poolId = issuer.slice(issuer.lastIndexOf("/") + 1);
  return {
    COGNITO_USER_POOL_ID: poolId,
    COGNITO_CLIENT_ID: clientId,
    COGNITO_ISSUER: issuer,
    ORIGIN_URL: originUrl,
    ...extra,
  };
}
