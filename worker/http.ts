/**
 * The gate's request handler, shared by the Workers and Deno entries.
 *
 * `handle(request, config, deps)`: CORS preflight → public path or verified access token (from
 * the isolate's verified-token cache, or verified in full) → group/scope check → proxy → response
 * headers. Its only I/O is `deps.fetch` (origin) and the key
 * set in `deps.keys` (which fetches through the same `fetch`).
 */
import type { Config, PublicPath } from "./config.ts";
import { isPreflight, preflightResponse, appendVary, withCors } from "./cors.ts";
import { asGateError, errorResponse, GateError } from "./errors.ts";
import { createKeySet } from "./jwks.ts";
import type { Fetch, KeySet, KeySetStore } from "./jwks.ts";
import { forward } from "./proxy.ts";
import { createTokenCache } from "./token-cache.ts";
import type { TokenCache } from "./token-cache.ts";
import { readBearerToken, verifyToken } from "./verify.ts";
import type { Identity } from "./verify.ts";

export interface Deps {
  /** Used for the origin and, through `keys`, for the key set. */
  readonly fetch: Fetch;
  /** Milliseconds since the epoch; token times are checked against it. */
  readonly now: () => number;
  readonly keys: KeySet;
  /** Tokens verified earlier in this isolate (worker/token-cache.ts). */
  readonly tokens: TokenCache;
}

export interface DepsOptions {
  fetch?: Fetch;
  now?: () => number;
  store?: KeySetStore | undefined;
  /** See `KeySetOptions.waitForInFlight`: the Workers entry sets it. */
  waitForInFlight?: boolean | undefined;
}

/** What an entry does once per isolate/process: one key set, shared by every request. */
export function createDeps(config: Config, options: DepsOptions = {}): Deps {
  const fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const keys = createKeySet(config, { fetch, store: options.store, waitForInFlight: options.waitForInFlight });
  return { fetch, now: options.now ?? Date.now, keys, tokens: createTokenCache(keys, config.tokenCacheBytes) };
}

/**
 * `/a/b` matches only `/a/b`; `/a/*` matches `/a` and anything under `/a/`. A path holding an
 * encoded slash or backslash is never public: an origin that decodes it could route
 * `/public/..%2fadmin` somewhere else than the gate matched.
 */
export function isPublicPath(pathname: string, paths: readonly PublicPath[]): boolean {
  if (/%2f|%5c|\\/i.test(pathname)) return false;
  return paths.some(({ path, prefix }) => pathname === path || (prefix && pathname.startsWith(`${path}/`)));
}

/** A segment whose name before its first `;` is `.` or `..`, dots and `;` plain or percent-encoded. */
const DOT_SEGMENT_WITH_PARAMETER = /(?:^|\/)(?:\.|%2e){1,2}(?:;|%3b)/i;

/**
 * A segment that is `.` or `..` once `%2e` is read as a dot and a `;` parameter is cut off. The
 * URL parser resolves `..` and `%2e%2e` but keeps `..;x`, which Tomcat, Jetty and Spring resolve
 * after stripping the parameter: `/public/..;/admin` would be public to the gate and `/admin` to
 * the origin, and `/..;/x` would leave ORIGIN_URL's path.
 */
export function hasDotSegment(pathname: string): boolean {
  // Without a parameter, `.` and `..` (plain or encoded) were already resolved by the URL parser.
  return DOT_SEGMENT_WITH_PARAMETER.test(pathname);
}

function authorize(identity: Identity, config: Config): void {
  const { requiredGroups, requiredScopes } = config;
  // Exact string comparison: `admins` is not `admin`.
  if (requiredGroups.length > 0 && !requiredGroups.some((group) => identity.groups.includes(group))) {
    throw new GateError("insufficient_scope", "The token lacks a required group");
  }
  if (!requiredScopes.every((scope) => identity.scopes.includes(scope))) {
    throw new GateError("insufficient_scope", "The token lacks a required scope");
  }
}

/** Authenticated answers may hold per-user data: shared caches must not keep or mix them. */
function privateResponse(response: Response): Response {
  if (!response.headers.has("cache-control")) response.headers.set("cache-control", "private");
  appendVary(response.headers, "Authorization");
  return response;
}

/** Logs the code of a failure the operator must act on; never a token, claim or key. */
function report(error: GateError): void {
  if (error.code === "jwks_unavailable" || error.code === "origin_unavailable") {
    const cause = error.cause instanceof Error ? error.cause.name : typeof error.cause;
    console.error(`gate: ${error.code} (${cause})`);
  }
}

/** A token seen and verified earlier is answered from the cache; any other is verified in full. */
export async function authenticate(token: string, deps: Deps, config: Config): Promise<Identity> {
  const now = deps.now();
  const cached = deps.tokens.get(token, now);
  if (cached) return cached;
  const setBefore = deps.keys.current();
  const verified = await verifyToken(token, config, deps.keys, now);
  deps.tokens.add(token, verified, setBefore, now);
  return verified.identity;
}

async function answer(request: Request, config: Config, deps: Deps): Promise<Response> {
  const url = new URL(request.url);
  if (hasDotSegment(url.pathname)) throw new GateError("request_invalid", "The request path has a dot segment");
  if (isPublicPath(url.pathname, config.publicPaths)) return forward(request, url, config, undefined, deps.fetch);
  const token = readBearerToken(request);
  const identity = await authenticate(token, deps, config);
  authorize(identity, config);
  return privateResponse(await forward(request, url, config, identity, deps.fetch));
}

export async function handle(request: Request, config: Config, deps: Deps): Promise<Response> {
  if (isPreflight(request)) return preflightResponse(request, config);
  let response: Response;
  try {
    response = await answer(request, config, deps);
  } catch (caught) {
    const error = asGateError(caught, "token_invalid", "The access token is invalid");
    report(error);
    response = errorResponse(error);
  }
  return withCors(response, request, config);
}
