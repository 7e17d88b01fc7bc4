/**
 * Forwarding a request to the origin.
 *
 * The upstream URL is `ORIGIN_URL`'s origin and path with the request's path and query appended,
 * so nothing a client sends (`//evil.example/x`, `/\evil.example`, `/%2e%2e/`, an absolute-form
 * target) can change the host. Hop-by-hop headers (RFC 9110 §7.6.1) and every client-sent
 * identity header are dropped; the identity headers are then set from verified claims only.
 * A `Location` pointing at ORIGIN_URL comes back as a path on the gate (`gateLocation`).
 *
 * Headers origins and their frameworks trust for routing or identity (`isTrustedByOrigins`) are
 * dropped, not allow-listed: an API's own headers pass, and this family never does, on public
 * paths too. `X-Forwarded-For`, `-Proto` and `-Host` are then set from what the runtime knows:
 * the caller's address (`client.address`: `CF-Connecting-IP` on Workers, the connection's remote
 * address on Deno) and the URL the gate was asked for.
 *
 * Identity headers: `X-Auth-Client-Id` and `X-Auth-Scope` always; for a user also `X-Auth-Sub`
 * (the user's `sub`), `X-Auth-Username` and `X-Auth-Groups`. A machine client (client-credentials
 * grant) gets none of those three: its token's `sub` is its client id, which an origin must not
 * take for a user's, so `X-Auth-Sub` is present exactly when a user is calling.
 *
 * With `ORIGIN_SECRET` set, every upstream request carries `X-Gate-Secret` so the origin can refuse
 * anything that did not come through the gate. A client-sent `X-Gate-Secret` is never forwarded,
 * set or not, and one the origin echoes back is dropped from the answer.
 *
 * `Authorization` is not forwarded: the origin trusts `X-Auth-*` from the gate, and a bearer
 * token the origin never sees cannot leak from its logs or be replayed by it.
 */
import type { Config } from "./config.ts";
import { GateError } from "./errors.ts";
import type { Identity } from "./verify.ts";

/** What the runtime knows of the connection, beyond the request. */
export interface Client {
  /** The caller's IP address, if the runtime says. */
  readonly address?: string | undefined;
}

/** The header that proves to the origin a request came through the gate (`ORIGIN_SECRET`). */
const GATE_SECRET_HEADER = "x-gate-secret";
const HOP_BY_HOP = new Set(["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate", "proxy-connection"]);
/** Never forwarded either: the caller's credentials, the gate's host, a client-claimed gate secret. */
const NOT_FORWARDED = new Set([...HOP_BY_HOP, "authorization", "host", GATE_SECRET_HEADER]);

/** Exact names origins trust for the caller's address, the original route or method, or identity. */
const TRUSTED_BY_ORIGINS = new Set([
  "forwarded",
  "x-real-ip",
  "true-client-ip",
  "x-client-ip",
  "x-cluster-client-ip",
  "x-original-url",
  "x-rewrite-url",
  "x-original-host",
  "x-original-method",
  "x-http-method-override",
  "x-http-method",
  "x-method-override",
  "remote-user",
  "x-remote-user",
  "x-remote-group",
  "x-webauth-user",
  "x-user",
  "x-user-id",
  "x-goog-iap-jwt-assertion",
]);
/** Prefixes of the same: proxies' (`X-Forwarded-*`, Cloudflare's `CF-*`), AWS ALB's OIDC, Azure's and Google's. */
const TRUSTED_PREFIXES = ["x-forwarded-", "cf-", "x-amzn-oidc-", "x-ms-client-principal", "x-goog-authenticated-user-", "x-auth-"];

function isTrustedByOrigins(name: string): boolean {
  return TRUSTED_BY_ORIGINS.has(name) || TRUSTED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Joins the request path onto ORIGIN_URL; the host always comes from the configuration. */
export function upstreamUrl(incoming: URL, config: Config): URL {
  const target = new URL(config.originUrl.href);
  const base = target.pathname.replace(/\/+$/, "");
  // The path is set as a string on a URL that already has a host: it can never become an authority.
  target.pathname = `${base}${incoming.pathname}`;
  target.search = incoming.search;
  if (target.origin !== config.originUrl.origin) throw new GateError("origin_unavailable", "The request cannot be forwarded");
  return target;
}

/** The names a `Connection` header lists: hop-by-hop too (RFC 9110 §7.6.1). */
function connectionNames(headers: Headers): Set<string> | undefined {
  const value = headers.get("connection");
  return value === null ? undefined : new Set(value.split(",").map((name) => name.trim().toLowerCase()));
}

/** Drops hop-by-hop headers, including any a `Connection` header names (RFC 9110 §7.6.1). */
function dropHopByHop(headers: Headers): void {
  const named = connectionNames(headers);
  const doomed = [...headers.keys()].filter((name) => HOP_BY_HOP.has(name) || named?.has(name));
  for (const name of doomed) headers.delete(name);
}

/**
 * Header values are bytes, and `,` separates list members: a name from Cognito (which allows any
 * Unicode letter or punctuation) is percent-encoded where it holds anything else than visible
 * ASCII other than `%` and `,`. Plain names such as `alice` or `admin` pass through unchanged;
 * the origin reads them back with `decodeURIComponent`.
 */
export function headerValue(value: string): string {
  // Most values are plain: one scan without Unicode mode, no replacement.
  if (PLAIN.test(value)) return value;
  return value.replace(/[^\x21-\x24\x26-\x2B\x2D-\x7E]/gu, (char) => encodeURIComponent(char));
}

const PLAIN = /^[\x21-\x24\x26-\x2B\x2D-\x7E]*$/;

/**
 * The `X-Auth-*` headers for an identity, encoded once: a cached token hands back the same
 * identity object on every request.
 */
const encoded = new WeakMap<Identity, ReadonlyArray<readonly [string, string]>>();

function identityHeaders(identity: Identity): ReadonlyArray<readonly [string, string]> {
  let pairs = encoded.get(identity);
  if (pairs !== undefined) return pairs;
  const list: Array<readonly [string, string]> = [
    ["x-auth-client-id", headerValue(identity.clientId)],
    ["x-auth-scope", identity.scopes.map(headerValue).join(" ")],
  ];
  if (identity.kind === "user") {
    list.push(["x-auth-sub", headerValue(identity.sub)], ["x-auth-username", headerValue(identity.username)], ["x-auth-groups", identity.groups.map(headerValue).join(",")]);
  }
  encoded.set(identity, (pairs = list));
  return pairs;
}

/**
 * The request's headers minus what is not forwarded, in one pass, plus the gate's own
 * `X-Forwarded-*`, the verified identity and the gate's secret.
 */
function upstreamHeaders(request: Request, url: URL, identity: Identity | undefined, config: Config, client: Client): Headers {
  const named = connectionNames(request.headers);
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (NOT_FORWARDED.has(name) || isTrustedByOrigins(name) || named?.has(name)) continue;
    headers.append(name, value);
  }
  if (client.address) headers.set("x-forwarded-for", client.address);
  headers.set("x-forwarded-proto", url.protocol.slice(0, -1));
  headers.set("x-forwarded-host", url.host);
  if (identity) for (const [name, value] of identityHeaders(identity)) headers.set(name, value);
  if (config.originSecret !== undefined) headers.set(GATE_SECRET_HEADER, config.originSecret);
  return headers;
}

/**
 * A `Location` naming ORIGIN_URL's origin, as a path on the gate (ORIGIN_URL's path taken off):
 * the client is sent back through the gate and never learns where the origin lives. Leading
 * slashes are collapsed so the result can never be protocol-relative (`//evil.example`).
 * Any other `Location` is left as the origin wrote it.
 */
function gateLocation(location: string, config: Config): string {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return location;
  }
  if (url.origin !== config.originUrl.origin) return location;
  const base = config.originUrl.pathname.replace(/\/+$/, "");
  let path = url.pathname;
  if (base && (path === base || path.startsWith(`${base}/`))) path = path.slice(base.length);
  return `/${path.replace(/^\/+/, "")}${url.search}${url.hash}`;
}

/**
 * Sends the request on to the origin; a network failure is `origin_unavailable` (502). `url` is
 * the request's URL, already parsed by the handler.
 */
export async function forward(
  request: Request,
  url: URL,
  config: Config,
  identity: Identity | undefined,
  fetch: typeof globalThis.fetch,
  client: Client = {},
): Promise<Response> {
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers: upstreamHeaders(request, url, identity, config, client),
    redirect: "manual",
  };
  if (request.method !== "GET" && request.method !== "HEAD" && request.body) {
    init.body = request.body;
    init.duplex = "half"; // Node's fetch needs it to stream a request body.
  }
  let response: Response;
  try {
    response = await fetch(upstreamUrl(url, config), init);
  } catch (error) {
    throw new GateError("origin_unavailable", "The origin did not answer", { cause: error });
  }
  // A fresh Response: fetch's own has immutable headers on some runtimes.
  const answer = new Response(response.body, response);
  dropHopByHop(answer.headers);
  const location = answer.headers.get("location");
  if (location !== null) answer.headers.set("location", gateLocation(location, config));
  // An origin that echoes request headers (a debug route) must not hand the secret to the client.
  answer.headers.delete(GATE_SECRET_HEADER);
  return answer;
}
