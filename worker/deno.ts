/**
 * Deno entry: `deno run --allow-net --allow-env worker/deno.ts`. Serves the same handler as the
 * Workers entry on 127.0.0.1:`PORT` (default 8787). An invalid configuration stops the process
 * at start with a message naming the setting. The key set is kept in memory only.
 *
 * Deno's fetch decodes a compressed origin answer but keeps its `Content-Encoding` and
 * `Content-Length`; passed on as they are, the client would try to decode plain bytes. Workers
 * re-encodes such a body itself, so only this entry drops the two headers (Deno.serve compresses
 * again for clients that accept it).
 */
import { parseConfig } from "./config.ts";
import { GateError } from "./errors.ts";
import { createDeps, handle } from "./http.ts";

declare const Deno: {
  env: { toObject(): Record<string, string> };
  exit(code: number): never;
  serve(
    options: { hostname: string; port: number; onListen?: (address: { hostname: string; port: number }) => void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
};

const env = Deno.env.toObject();
let config;
try {
  config = parseConfig(env);
} catch (error) {
  console.error(`gate: ${error instanceof GateError ? error.message : "invalid configuration"}`);
  Deno.exit(1);
}
const port = Number(env.PORT ?? "8787");
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error("gate: PORT must be a port number");
  Deno.exit(1);
}
const gateConfig = config;
const deps = createDeps(gateConfig);
Deno.serve(
  {
    hostname: "127.0.0.1",
    port,
    onListen: ({ hostname, port }) => console.log(`gate listening on http://${hostname}:${port}/`),
  },
  async (request) => decoded(await handle(request, gateConfig, deps)),
);

function decoded(response: Response): Response {
  if (!response.headers.has("content-encoding")) return response;
  const headers = new Headers(response.headers);
  headers.delete("content-encoding");
  headers.delete("content-length");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
