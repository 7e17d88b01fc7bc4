/**
 * Deno entry: `deno run --allow-net --allow-env worker/deno.ts`, or from the npm package
 * `cognito-elements/worker/deno` (README.md, "Deploying the gate"). Serves the same handler as
 * the Workers entry on 127.0.0.1:`PORT` (default 8787). An invalid configuration stops the
 * process at start with a message naming the setting. The key set is kept in memory only.
 * Imported anywhere but Deno (Node, a bundler's analysis), it does nothing.
 *
 * Deno builds the request URL from the `Host` header without checking it: a `Host` that is not
 * `host[:port]` is answered 400 before the handler sees the request. The caller's address for
 * `X-Forwarded-For` is the connection's remote address.
 *
 * Deno's fetch decodes a compressed origin answer but keeps its `Content-Encoding` and
 * `Content-Length`; passed on as they are, the client would try to decode plain bytes. Workers
 * re-encodes such a body itself, so only this entry drops the two headers (Deno.serve compresses
 * again for clients that accept it).
 */
import { parseConfig } from "./config.ts";
import type { Config } from "./config.ts";
import { errorResponse, GateError } from "./errors.ts";
import { createDeps, handle, validHost } from "./http.ts";

interface DenoLike {
  env: { toObject(): Record<string, string> };
  exit(code: number): never;
  serve(
    options: { hostname: string; port: number; onListen?: (address: { hostname: string; port: number }) => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Promise<Response>,
  ): unknown;
}

function decoded(response: Response): Response {
  if (!response.headers.has("content-encoding")) return response;
  const headers = new Headers(response.headers);
  headers.delete("content-encoding");
  headers.delete("content-length");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function configure(deno: DenoLike, env: Record<string, string>): Config {
  try {
    return parseConfig(env);
  } catch (error) {
    console.error(`gate: ${error instanceof GateError ? error.message : "invalid configuration"}`);
    return deno.exit(1);
  }
}

function serve(deno: DenoLike): void {
  const env = deno.env.toObject();
  const config = configure(deno, env);
  const port = Number(env.PORT ?? "8787");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error("gate: PORT must be a port number");
    deno.exit(1);
  }
  const deps = createDeps(config);
  const badHost = () => errorResponse(new GateError("request_invalid", "The Host header is not host[:port]"));
  deno.serve(
    {
      hostname: "127.0.0.1",
      port,
      onListen: ({ hostname, port }) => console.log(`gate listening on http://${hostname}:${port}/`),
    },
    async (request, info) => {
      if (!validHost(request.headers.get("host"))) return badHost();
      return decoded(await handle(request, config, deps, { address: info.remoteAddr.hostname }));
    },
  );
}

const deno = (globalThis as { Deno?: DenoLike }).Deno;
if (deno !== undefined) serve(deno);
