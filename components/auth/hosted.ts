/**
 * Sign-in through Cognito's hosted UI (issue 9): the OAuth 2.0 authorization code flow with S256
 * PKCE (RFC 6749 §4.1, RFC 7636). amazon-cognito-identity-js has no OAuth support, so this module
 * starts the round trip, completes it on the redirect URI, and writes the tokens under the keys
 * the SDK reads (CognitoUser.cacheTokens): restore, refresh and every element then see an
 * ordinary session.
 */
import { CognitoErrorEvent, CognitoSignedInEvent } from "../elements/events.ts";
import type { AuthClient } from "./client.ts";
import { ConfigError } from "./config.ts";
import { AuthError } from "./errors.ts";
import { keyPrefix, sweepTokens } from "./storage.ts";
import { authStore } from "./store.ts";
import type { SessionUser } from "./tokens.ts";

/** The callback being completed, or how the last completion failed. */
export interface HostedStatus {
  readonly pending: boolean;
  readonly error?: AuthError;
}

let status: HostedStatus = { pending: false };
const listeners = new Set<() => void>();
let completing: Promise<SessionUser | null> | undefined;

export const hostedStatus = (): HostedStatus => status;

/** Calls `listener` whenever `hostedStatus()` changes; returns the unsubscribe. */
export function onHostedStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setStatus(next: HostedStatus): void {
  status = next;
  for (const listener of [...listeners]) listener();
}

// The verifier and state live only in this tab's sessionStorage, only for the round trip.
const pendingKey = (clientId: string) => `cognito-elements.hosted.${clientId}`;
// Marks a session that came from the hosted UI, so sign-out also ends the hosted UI's own session.
const hostedKey = (clientId: string) => `${keyPrefix(clientId)}hosted`;

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

function configured(client: AuthClient | undefined): AuthClient & { config: { domain: string; redirectUri: string } } {
  if (!client) throw new ConfigError("poolId", "missing", "options");
  if (!client.config.domain) throw new ConfigError("domain", "missing", "options");
  return client as AuthClient & { config: { domain: string; redirectUri: string } };
}

/**
 * Sends the browser to the hosted UI: to `provider`'s sign-in when given (an identity provider
 * name as set up in the pool: `Google`, `Facebook`, `SignInWithApple`, a SAML or OIDC name), else
 * to Cognito's own sign-in page.
 */
export async function startHostedSignIn(provider?: string, client = authStore.client): Promise<void> {
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

/**
 * Completes a hosted sign-in when this page is the redirect URI and carries `state` with `code` (or
 * `error`); runs by itself when the pool is configured. Resolves with the user, or null when there
 * is nothing to complete; rejects with AuthError (`state_mismatch`, `authorization_code_invalid`,
 * `provider_refused`, `network`) and then stores nothing.
 */
export function completeHostedSignIn(client = authStore.client): Promise<SessionUser | null> {
  completing ??= Promise.resolve()
    .then(() => complete(configured(client)))
    .finally(() => (completing = undefined));
  return completing;
}

async function complete(client: ReturnType<typeof configured>): Promise<SessionUser | null> {
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
  // On the page's login if it has one (by now it has been parsed), else on the document.
  const emit = (event: Event) => (document.querySelector("cognito-login") ?? document).dispatchEvent(event);
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
    const user = await adopt(client, tokens);
    setStatus({ pending: false });
    emit(new CognitoSignedInEvent({ username: user.username }));
    return user;
  } catch (failure) {
    const reason = failure instanceof AuthError ? failure : new AuthError("unknown");
    setStatus({ pending: false, error: reason });
    emit(new CognitoErrorEvent({ code: reason.code }));
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
    storage.setItem(hostedKey(config.clientId), "1");
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

/**
 * Where sign-out sends the browser after a hosted UI sign-in, to end the hosted UI's own session
 * (else its cookie signs the next person in without asking): `<domain>/logout`. Undefined for
 * other sessions, and when the domain is the emulator at `endpoint` (cognito-local has no /logout).
 */
export function hostedLogoutUrl(client: AuthClient): string | undefined {
  const { domain, redirectUri, clientId, endpoint } = client.config;
  if (!domain || !redirectUri || !client.storage.getItem(hostedKey(clientId))) return undefined;
  if (endpoint && new URL(endpoint).origin === domain) return undefined;
  return `${domain}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: redirectUri })}`;
}
