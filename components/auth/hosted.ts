/**
 * Sign-in through Cognito's hosted UI: the OAuth 2.0 authorization code flow with S256 PKCE
 * (RFC 6749 §4.1, RFC 7636). This module starts the round trip, completes it on the redirect URI
 * and hands the tokens to the client, so restore, refresh and every element see an ordinary
 * session. It knows nothing of elements or the page's markup; the elements turn its status into
 * `cognito-signed-in` / `cognito-error` events.
 */
import { ConfigError } from "./config.ts";
import { AuthError } from "./errors.ts";
import { hostedKey, setHostedStatus as setStatus, type HostedClient } from "./hosted-state.ts";
import { sweepTokens } from "./storage.ts";
import { claims, type SessionUser } from "./tokens.ts";


let completing: Promise<SessionUser | null> | undefined;

// The verifier and state live only in this tab's sessionStorage, only for the round trip.
const pendingKey = (clientId: string) => `cognito-elements.hosted.${clientId}`;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** 32 random bytes: a 43-character verifier (RFC 7636 §4.1) or state. */
const random = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** An OAuth error code from a URL or a response, kept only if it looks like one (it is echoed in AuthError). */
const oauthError = (value: unknown) => (typeof value === "string" && /^\w{1,64}$/.test(value) ? value : undefined);

type Configured = HostedClient & { readonly config: { readonly domain: string; readonly redirectUri: string } };

function configured(client: HostedClient | undefined): Configured {
  if (!client) throw new ConfigError("poolId", "missing", "options");
  if (!client.config.domain) throw new ConfigError("domain", "missing", "options");
  return client as Configured;
}

/** Sends the browser to the hosted UI (the public form is `startHostedSignIn` in store.ts). */
export async function startHostedSignIn(client: HostedClient | undefined, provider?: string): Promise<void> {
  const { domain, redirectUri, clientId, scopes } = configured(client).config;
  const state = random();
  const verifier = random();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  // Written in the same task as the navigation: after a double click the last round trip wins whole.
  sessionStorage.setItem(pendingKey(clientId), JSON.stringify({ state, verifier }));
  setStatus({ pending: false });
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

/** Completes the round trip on the redirect URI (the public form is `completeHostedSignIn` in store.ts). */
export function completeHostedSignIn(client: HostedClient | undefined): Promise<SessionUser | null> {
  completing ??= Promise.resolve()
    .then(() => complete(configured(client)))
    .finally(() => (completing = undefined));
  return completing;
}

async function complete(client: Configured): Promise<SessionUser | null> {
  const { domain, redirectUri, clientId } = client.config;
  const url = new URL(location.href);
  const back = new URL(redirectUri);
  const params = url.searchParams;
  const code = params.get("code");
  const state = params.get("state");
  const error = params.get("error");
  // Cognito echoes `state` on errors too; a URL without one is not a callback of ours.
  if (url.origin + url.pathname !== back.origin + back.pathname || !state || !(code || error)) return null;
  // The code must not stay in the address bar, history or a Referer (RFC 6749 §10.5).
  for (const name of ["code", "state", "error", "error_description"]) params.delete(name);
  history.replaceState(history.state, "", url);
  const pending = sessionStorage.getItem(pendingKey(clientId));
  sessionStorage.removeItem(pendingKey(clientId));
  setStatus({ pending: true });
  try {
    let expected: { state?: string; verifier?: string } | null = null;
    try {
      expected = JSON.parse(pending ?? "null");
    } catch {}
    // RFC 6749 §10.12: a callback this tab did not start (CSRF, a replayed link) is refused unspent.
    if (!expected?.state || !expected.verifier || expected.state !== state) throw new AuthError("state_mismatch");
    if (error) throw new AuthError("provider_refused", oauthError(error));
    const tokens = await exchange(`${domain}/oauth2/token`, {
      grant_type: "authorization_code",
      client_id: clientId,
      code: code!,
      redirect_uri: redirectUri,
      code_verifier: expected.verifier,
    });
    const user = adopt(client, tokens);
    setStatus({ pending: false, signedIn: user });
    return user;
  } catch (failure) {
    const reason = failure instanceof AuthError ? failure : new AuthError("unknown");
    setStatus({ pending: false, error: reason });
    throw reason;
  }
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

/** Hands the tokens to the client, after checking they are for this app client. */
function adopt(client: HostedClient, tokens: TokenResponse): SessionUser {
  const { storage, config } = client;
  let user: SessionUser | undefined;
  try {
    if (claims(tokens.access_token)["client_id"] === config.clientId && typeof tokens.refresh_token === "string") {
      user = client.adoptTokens({ AccessToken: tokens.access_token, IdToken: tokens.id_token, RefreshToken: tokens.refresh_token });
    }
  } catch {}
  if (!user) {
    sweepTokens(storage, config.clientId);
    throw new AuthError("unknown");
  }
  storage.setItem(hostedKey(config.clientId), "1");
  return user;
}
