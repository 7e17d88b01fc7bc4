/**
 * Cloudflare Workers entry. Configuration is parsed once per isolate (per `env` object); an
 * invalid configuration answers every request with a 500 naming the setting and proxies nothing.
 * The key set lives for the isolate's life and, when `ORIGIN_SECRET` is set, is persisted across
 * isolates in `caches.default`, bound to this gate by that secret (worker/jwks.ts `cacheApiStore`);
 * without a secret nothing is read from or written to the Cache API, which every Worker of the
 * zone shares. The caller's address for `X-Forwarded-For` is `CF-Connecting-IP`, which Cloudflare
 * sets on every request (replacing any a client sent).
 */
import { parseConfig } from "./config.ts";
import type { Config, Env } from "./config.ts";
import { asGateError, errorResponse } from "./errors.ts";
import type { GateError } from "./errors.ts";
import { createDeps, handle } from "./http.ts";
import type { Deps } from "./http.ts";
import { cacheApiStore } from "./jwks.ts";
import type { CacheLike } from "./jwks.ts";

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

type Gate = { config: Config; deps: Deps } | { error: GateError };

let isolate: { env: Env; gate: Gate } | undefined;

function gateFor(env: Env): Gate {
  if (isolate?.env === env) return isolate.gate;
  let gate: Gate;
  try {
    const config = parseConfig(env);
    const cache = (globalThis as { caches?: { default?: CacheLike } }).caches?.default;
    const store = cache && config.originSecret !== undefined ? cacheApiStore(cache, config, config.originSecret) : undefined;
    gate = { config, deps: createDeps(config, { store, waitForInFlight: true }) };
  } catch (error) {
    gate = { error: asGateError(error, "config_invalid", "The gate configuration is invalid") };
    console.error(`gate: ${gate.error.message}`);
  }
  isolate = { env, gate };
  return gate;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const gate = gateFor(env);
    if ("error" in gate) return errorResponse(gate.error);
    const address = request.headers.get("cf-connecting-ip") ?? undefined;
    const response = await handle(request, gate.config, gate.deps, { address });
    ctx.waitUntil(gate.deps.keys.persist());
    return response;
  },
};
