/**
 * The hosted UI round trip itself (issue 9): the OAuth 2.0 authorization code flow with S256 PKCE
 * (RFC 6749 §4.1, RFC 7636). Loaded by hosted.ts only when a sign-in starts or the page is a
 * callback (issue 6: most visits do neither), so it keeps no status and fires no events: hosted.ts
 * does both around it.
 */
import type { AuthClient } from "./client.ts";
import type { AuthConfig } from "./config.ts";
import { AuthError } from "./errors.ts";
import { hostedMarkKey, keyPrefix, sweepTokens } from "./storage.ts";
import type { SessionUser } from "./tokens.ts";

/** What the redirect URI was called with. */
export interface Callback {
  readonly code: string | null;
  readonly state: string;
  readonly error: string | null;
}

// The verifier and state live only in this tab's sessionStorage, only for the round trip.
const pendingKey = (clientId: string) => `cognito-elements.hosted.${clientId}`;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** 32 random bytes: a 43-character verifier (RFC 7636 §4.1) or state. */
const random = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

function claims(jwt: string): Record<string, unknown> {
  const part = jwt.split(".")[1] ?? "";
  const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
}

/** An OAuth error code from a URL or a response, kept only if it looks like one (it is echoed in AuthError). */
const oauthError = (value: unknown) => (typeof value === "string" && /^\w{1,64}$/.test(value) ? value : undefined);

/** Sends the browser to `<domain>/oauth2/authorize`, with `provider` preselected when given. */
export async function authorize(config: AuthConfig & { domain: string; redirectUri: string }, provider: string | undefined): Promise<void> {
  const { domain, redirectUri, clientId, scopes } = config;
  const state = random();
  const verifier = random();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  // Written in the same task as the navigation: after a double click the last round trip wins whole.
  sessionStorage.setItem(pendingKey(clientId), JSON.stringify({ state, verifier }));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: scopes,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  if (provider) query.set("identity_provider", provider);
  location.assign(`${domain}/oauth2/authorize?${query}`);
}

/**
 * Checks the callback against the round trip this tab started, exchanges the code and stores the
 * tokens. Rejects with AuthError (`state_mismatch`, `provider_refused`, `authorization_code_invalid`,
 * `network`, `unknown`) and then stores nothing.
 */
export async function redeem(client: AuthClient & { config: { domain: string; redirectUri: string } }, callback: Callback): Promise<SessionUser> {
  const { domain, redirectUri, clientId } = client.config;
  const pending = sessionStorage.getItem(pendingKey(clientId));
  sessionStorage.removeItem(pendingKey(clientId));
  let expected: { state?: string; verifier?: string } | null = null;
  try {
    expected = JSON.parse(pending ?? "null");
  } catch {}
  // RFC 6749 §10.12: a callback this tab did not start (CSRF, a replayed link) is refused unspent.
  if (!expected?.state || !expected.verifier || expected.state !== callback.state) throw new AuthError("state_mismatch");
  if (callback.error || !callback.code) throw new AuthError("provider_refused", oauthError(callback.error));
  const tokens = await exchange(`${domain}/oauth2/token`, {
    grant_type: "authorization_code",
    client_id: clientId,
    code: callback.code,
    redirect_uri: redirectUri,
    code_verifier: expected.verifier,
  });
  return adopt(client, tokens);
}

interface TokenResponse {
  readonly id_token: string;
  readonly access_token: string;
  readonly refresh_token: string;
}

async function exchange(endpoint: string, form: Record<string, string>): Promise<TokenResponse> {
  let response: Response;
  try {
    // A form body: a CORS-simple request, no preflight (Cognito's token endpoint answers none).
    response = await fetch(endpoint, { method: "POST", body: new URLSearchParams(form) });
  } catch {
    throw new AuthError("network");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new AuthError(body.error === "invalid_grant" ? "authorization_code_invalid" : "unknown", oauthError(body.error));
  }
  // Its shape is checked where it is used (adopt): anything unexpected stores nothing.
  return body;
}

/** Stores the tokens as the SDK would after a sign-in, then reads the session through the client. */
async function adopt(client: AuthClient, tokens: TokenResponse): Promise<SessionUser> {
  const { storage, config } = client;
  const prefix = keyPrefix(config.clientId);
  try {
    const access = claims(tokens.access_token);
    const id = claims(tokens.id_token);
    const username = access["username"];
    if (typeof username !== "string" || !username || access["client_id"] !== config.clientId || typeof tokens.refresh_token !== "string") {
      throw new AuthError("unknown");
    }
    sweepTokens(storage, config.clientId);
    const user = `${prefix}${username}.`;
    storage.setItem(`${user}idToken`, tokens.id_token);
    storage.setItem(`${user}accessToken`, tokens.access_token);
    storage.setItem(`${user}refreshToken`, tokens.refresh_token);
    storage.setItem(`${user}clockDrift`, String(Math.floor(Date.now() / 1000) - Math.min(Number(access["iat"]), Number(id["iat"]))));
    storage.setItem(hostedMarkKey(config.clientId), "1");
    // Last: LastAuthUser is what makes the SDK (and other tabs) see a session.
    storage.setItem(`${prefix}LastAuthUser`, username);
    const found = await client.restore();
    if (found) return found;
  } catch (failure) {
    if (failure instanceof AuthError) throw failure;
  }
  sweepTokens(storage, config.clientId);
  throw new AuthError("unknown");
}
