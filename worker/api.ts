/**
 * `cognito-elements/worker`: what a program embedding the gate calls. `parseConfig(env)` once,
 * `createDeps(config)` once per isolate or process, then `handle(request, config, deps, client)`
 * for every request. The Workers and Deno entries (`cognito-elements/worker/cloudflare`,
 * `cognito-elements/worker/deno`) do exactly that.
 */
export { parseConfig } from "./config.ts";
export type { Config, Env } from "./config.ts";
export { GateError } from "./errors.ts";
export type { ErrorCode } from "./errors.ts";
export { createDeps, handle } from "./http.ts";
export type { Deps, DepsOptions } from "./http.ts";
export type { Client } from "./proxy.ts";
