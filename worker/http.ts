/**
 * The gate's request handler, shared by the Workers and Deno entries.
 *
 * `handle(request, config, deps, client)`: CORS preflight → method and path checks → the route's
 * rule (worker/policy.ts) → public, or a verified access token (from the isolate's verified-token
 * cache, or verified in full) meeting the rule's groups and scopes → on `REVOCATION_CHECK_PATHS`,
 * Cognito's word that the token is live → proxy → response headers. Its only I/O is `deps.fetch`:
 * the origin, Cognito's `GetUser`, and the key set in `deps.keys`.
 */
import type { Config } from "./config.ts";
import { isPreflight, preflightResponse, appendVary, withCors } from "./cors.ts";
import { asGateError, errorResponse, GateError } from "./errors.ts";
import { createKeySet } from "./jwks.ts";
import type { KeySet, KeySetStore } from "./jwks.ts";
import { hasDotSegment, listedPlainly, matches, readings } from "./paths.ts";
import { authorize, rulesFor } from "./policy.ts";
import { forward } from "./proxy.ts";
import type { Client } from "./proxy.ts";
import { createRevocationCheck } from "./revocation.ts";
import type { RevocationCheck } from "./revocation.ts";
import { createTokenCache } from "./token-cache.ts";
import type { TokenCache } from "./token-cache.ts";
import { readBearerToken, verifyToken } from "./verify.ts";
import type { Verified } from "./verify.ts";

export interface Deps {
  /** Used for the origin, Cognito's `GetUser` and, through `keys`, for the key set. */
  readonly fetch: typeof globalThis.fetch;
  /** Milliseconds since the epoch; token times are checked against it. */
  readonly now: () => number;
  readonly keys: KeySet;
  /** Tokens verified earlier in this isolate (worker/token-cache.ts). */
  readonly tokens: TokenCache;
  /** Cognito's answers on `REVOCATION_CHECK_PATHS` (worker/revocation.ts). */
  readonly revocation: RevocationCheck;
}

export interface DepsOptions {
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  store?: KeySetStore | undefined;
  /** Poll for another request's in-flight fetch instead of awaiting it: the Workers entry sets it. */
  waitForInFlight?: boolean | undefined;
}

/** What an entry does once per isolate/process: one key set, shared by every request. */
export function createDeps(config: Config, options: DepsOptions = {}): Deps {
  const fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const { store, waitForInFlight } = options;
  const keys = createKeySet(config, { fetch, now, store, waitForInFlight });
  const revocation = createRevocationCheck(config, { fetch, now, waitForInFlight });
  return { fetch, now, keys, tokens: createTokenCache(keys, config.tokenCacheBytes), revocation };
}

/** Methods `fetch` cannot send (Fetch standard, "forbidden method"): never forwarded. */
const UNSENDABLE = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * `host` or `host:port` (RFC 9110 §7.2): dot-separated labels of letters, digits and `-` (an IPv4
 * address among them), or a bracketed IPv6 address. No quantifier overlaps another: linear time.
 */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
/** A DNS name is at most 253 characters; with a port, 259. */
const MAX_HOST_LENGTH = 259;

/**
 * Whether a `Host` header can safely become the request URL's authority. Deno builds the URL
 * from it unchecked: `Host: x/public/y?` would turn `GET /admin` into a public path.
 */
export function validHost(host: string | null): boolean {
  return host === null || (host.length <= MAX_HOST_LENGTH && HOST.test(host));
}

/** Shared caches may keep only what a `SHARED_CACHE_PATHS` entry opts in. */
const SHARED_DIRECTIVE = /^(?:public|s-maxage\s*=.*|proxy-revalidate)$/i;
const PRIVATE_DIRECTIVE = /^(?:private|no-store)$/i;

/**
 * An authenticated answer's `Cache-Control`: the origin's directives minus those addressed to
 * shared caches, plus `private` unless it already says `private` or `no-store`.
 */
export function privateCacheControl(value: string | null): string {
  if (value === null) return "private";
  const directives = value.split(",").map((item) => item.trim()).filter((item) => item !== "" && !SHARED_DIRECTIVE.test(item));
  if (!directives.some((item) => PRIVATE_DIRECTIVE.test(item))) directives.unshift("private");
  return directives.join(", ");
}

/**
 * Authenticated answers may hold per-user data (`Set-Cookie` included): no shared cache may keep
 * them, even one that ignores `Vary` (SECURITY 33). A `SHARED_CACHE_PATHS` path an origin could
 * read as another (`/catalog/..%2fme`) is no exception (SECURITY 48).
 */
function privateResponse(response: Response, paths: readonly string[], config: Config): Response {
  if (!paths.every((path) => listedPlainly(path, config.sharedCachePaths))) {
    response.headers.set("cache-control", privateCacheControl(response.headers.get("cache-control")));
  }
  appendVary(response.headers, "Authorization");
  return response;
}

/** Logs the code of a failure the operator must act on; never a token, claim or key. */
function report(error: GateError): void {
  if (error.code === "jwks_unavailable" || error.code === "origin_unavailable" || error.code === "revocation_unavailable") {
    const cause = error.cause instanceof Error ? error.cause.name : typeof error.cause;
    console.error(`gate: ${error.code} (${cause})`);
  }
}

/** A token seen and verified earlier is answered from the cache; any other is verified in full. */
export async function authenticate(token: string, config: Config, deps: Deps): Promise<Verified> {
  const now = deps.now();
  const cached = deps.tokens.get(token, now);
  if (cached) return cached;
  const setBefore = deps.keys.current();
  const verified = await verifyToken(token, config, deps.keys, now);
  deps.tokens.add(token, verified, setBefore, now);
  return verified;
}

/** Whether `REVOCATION_CHECK_PATHS` covers the path, as sent or as an origin may decode it. */
function revocationChecked(paths: readonly string[], config: Config): boolean {
  return paths.some((path) => config.revocationCheckPaths.some((pattern) => matches(path, pattern)));
}

async function answer(request: Request, config: Config, deps: Deps, client: Client): Promise<Response> {
  // Fetch upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT (Fetch standard, "normalize a
  // method"): `patch` stays `patch`, and must still meet a `PATCH` entry (SECURITY 47).
  const method = request.method.toUpperCase();
  if (UNSENDABLE.has(method)) throw new GateError("method_not_allowed", "The method is not allowed");
  const url = new URL(request.url);
  if (hasDotSegment(url.pathname)) throw new GateError("request_invalid", "The request path has a dot segment");
  const paths = readings(url.pathname);
  const rules = rulesFor(method, url.pathname, config, paths);
  if (rules.length === 0) return forward(request, url, config, undefined, deps.fetch, client);
  const token = readBearerToken(request);
  const verified = await authenticate(token, config, deps);
  authorize(verified.identity, rules);
  if (revocationChecked(paths, config)) await deps.revocation(token, verified, deps.now());
  return privateResponse(await forward(request, url, config, verified.identity, deps.fetch, client), paths, config);
}

/**
 * The gate. `client` is what the runtime knows of the connection (the caller's address), for
 * `X-Forwarded-For`.
 */
export async function handle(request: Request, config: Config, deps: Deps, client: Client = {}): Promise<Response> {
  if (isPreflight(request)) return preflightResponse(request, config);
  let response: Response;
  try {
    response = await answer(request, config, deps, client);
  } catch (caught) {
    const error = asGateError(caught, "token_invalid", "The access token is invalid");
    report(error);
    response = errorResponse(error);
  }
  return withCors(response, request, config);
}
