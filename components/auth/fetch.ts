/**
 * authFetch: fetch with the signed-in user's access token, for APIs behind the gate.
 */
import { AuthError } from "./errors.ts";
import { authStore } from "./store.ts";

/** Refresh a token that would expire within this many seconds before sending it. */
const MIN_VALIDITY_SECONDS = 60;

// RFC 6750 §3.1: the gate answers an expired or revoked token with
// `WWW-Authenticate: Bearer error="invalid_token"` (it exposes that header to CORS callers).
function invalidToken(response: Response): boolean {
  return response.status === 401 && /error="?invalid_token/.test(response.headers.get("www-authenticate") ?? "");
}

/**
 * `fetch(input, init)` with `Authorization: Bearer <access token>`, for the origins the config
 * allows (`apiOrigins`, default the page's own). Refreshes a token expiring within a minute first;
 * on a 401 `invalid_token` refreshes once and retries once. It rejects, sending nothing, with
 * AuthError `origin_not_allowed` for any other origin, `not_signed_in` without a session, and the
 * ConfigError with a bad configuration. Concurrent calls share one refresh.
 */
export async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const config = authStore.config;
  if (config.state === "error") throw config.error;
  const client = authStore.client;
  if (!client) throw new AuthError("not_signed_in");
  // A Request can be sent once; keep an unsent copy for the retry.
  const request = new Request(input, init);
  // The token can change the user's email, turn off MFA or delete the account: it goes only where the page said.
  if (!client.config.apiOrigins.includes(new URL(request.url).origin)) throw new AuthError("origin_not_allowed");
  const send = (token: string) => {
    const attempt = request.clone();
    attempt.headers.set("authorization", `Bearer ${token}`);
    return fetch(attempt);
  };
  const token = await client.accessToken(MIN_VALIDITY_SECONDS);
  const response = await send(token);
  if (!invalidToken(response)) return response;
  // Another call may already have refreshed while this one was in flight.
  let fresh = await client.accessToken(MIN_VALIDITY_SECONDS);
  if (fresh === token) {
    await client.refresh();
    fresh = await client.accessToken(MIN_VALIDITY_SECONDS);
  }
  return send(fresh);
}
