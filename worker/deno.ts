/**
 * Deno entry: `deno run --allow-net --allow-env worker/deno.ts`. Serves the same handler as the
 * Workers entry on 127.0.0.1:`PORT` (default 8787). An invalid configuration stops the process
 * at start with a message naming the setting. The key set is kept in memory only.
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
  (request) => handle(request, gateConfig, deps),
);
