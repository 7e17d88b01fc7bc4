/**
 * The edge gate on workerd for authFetch tests: worker/cloudflare.ts bundled by esbuild and run by
 * Miniflare on 127.0.0.1, in front of a test origin that records what reached it. Plus a "flaky
 * API" that answers a token's first request with 401 invalid_token (as the gate does for an
 * expired or revoked token) to test the refresh-and-retry path on its own.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Miniflare } from "miniflare";
import { bundleGate, compatibilityDate } from "../../../dev/workerd-build.ts";

export interface SeenRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface GateStack {
  readonly gateUrl: string;
  readonly originRequests: SeenRequest[];
  stop(): Promise<void>;
}

export async function startGate(options: { issuer: string; clientId: string; pageOrigin: string; root: string }): Promise<GateStack> {
  const originRequests: SeenRequest[] = [];
  const origin = createServer((request, response) => {
    originRequests.push({ path: request.url ?? "", headers: request.headers });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ sub: request.headers["x-auth-sub"] ?? null, username: request.headers["x-auth-username"] ?? null }));
  });
  const originUrl = await listen(origin);
  const mf = new Miniflare({
    modules: true,
    script: await bundleGate(options.root),
    compatibilityDate: compatibilityDate(options.root),
    bindings: {
      COGNITO_ISSUER: options.issuer,
      COGNITO_CLIENT_ID: options.clientId,
      ORIGIN_URL: originUrl,
      CORS_ALLOWED_ORIGINS: options.pageOrigin,
    },
    host: "127.0.0.1",
    port: 0,
  });
  const url = await mf.ready;
  return {
    gateUrl: url.origin,
    originRequests,
    stop: async () => {
      await mf.dispose();
      await close(origin);
    },
  };
}

export interface FlakyApi {
  readonly url: string;
  /** The Authorization header of every request, in order. */
  readonly authorizations: string[];
  stop(): Promise<void>;
}

export async function startFlakyApi(pageOrigin: string): Promise<FlakyApi> {
  const authorizations: string[] = [];
  const refused = new Set<string>();
  const cors = {
    "access-control-allow-origin": pageOrigin,
    "access-control-allow-headers": "authorization, content-type",
    "access-control-expose-headers": "WWW-Authenticate",
  };
  const server = createServer((request, response) => {
    if (request.method === "OPTIONS") return void response.writeHead(204, cors).end();
    const authorization = request.headers.authorization ?? "";
    authorizations.push(authorization);
    // The first token this API sees is treated as revoked; any other is fine.
    if (refused.size === 0) refused.add(authorization);
    // `/always` refuses every token, as an API would for a user it has banned.
    if (refused.has(authorization) || request.url?.startsWith("/always")) {
      response.writeHead(401, { ...cors, "www-authenticate": 'Bearer error="invalid_token"', "content-type": "application/json" });
      return void response.end('{"error":"invalid_token"}');
    }
    response.writeHead(200, { ...cors, "content-type": "application/json" }).end('{"ok":true}');
  });
  return { url: await listen(server), authorizations, stop: () => close(server) };
}
