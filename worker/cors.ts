/**
 * CORS for browser callers of the API. The gate owns CORS: it answers every preflight itself
 * (a preflight carries no credentials, so forwarding it would only reach the origin
 * unauthenticated), grants only the configured origins, and replaces whatever CORS headers the
 * origin sent. `WWW-Authenticate` is exposed so browser code can read `invalid_token` on a 401.
 */
import type { Config } from "./config.ts";

const ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const ALLOW_HEADERS = "Authorization, Content-Type";

export function isPreflight(request: Request): boolean {
  return request.method === "OPTIONS" && request.headers.has("origin") && request.headers.has("access-control-request-method");
}

function allowedOrigin(request: Request, config: Config): string | undefined {
  const origin = request.headers.get("origin");
  return origin !== null && config.corsAllowedOrigins.includes(origin) ? origin : undefined;
}

export function appendVary(headers: Headers, name: string): void {
  const current = headers.get("vary");
  if (current === null) return headers.set("vary", name);
  const names = current.split(",").map((item) => item.trim().toLowerCase());
  if (!names.includes(name.toLowerCase()) && !names.includes("*")) headers.set("vary", `${current}, ${name}`);
}

/** 204 with a grant for an allowed origin, 204 without one for any other. Never forwarded. */
export function preflightResponse(request: Request, config: Config): Response {
  const headers = new Headers({ "cache-control": "no-store" });
  const origin = allowedOrigin(request, config);
  if (origin) {
    headers.set("access-control-allow-origin", origin);
    headers.set("access-control-allow-methods", ALLOW_METHODS);
    headers.set("access-control-allow-headers", ALLOW_HEADERS);
    headers.set("access-control-max-age", "600");
  }
  appendVary(headers, "Origin");
  return new Response(null, { status: 204, headers });
}

/** Applies the gate's CORS policy to any answer (origin's or the gate's own error). */
export function withCors(response: Response, request: Request, config: Config): Response {
  const headers = response.headers;
  for (const name of [...headers.keys()]) {
    if (name.startsWith("access-control-")) headers.delete(name);
  }
  const origin = allowedOrigin(request, config);
  if (origin) {
    headers.set("access-control-allow-origin", origin);
    headers.set("access-control-expose-headers", "WWW-Authenticate");
  }
  if (config.corsAllowedOrigins.length > 0) appendVary(headers, "Origin");
  return response;
}
