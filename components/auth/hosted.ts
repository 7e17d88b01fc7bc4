/**
 * Sign-in through Cognito's hosted UI (issue 9): the OAuth 2.0 authorization code flow with S256
 * PKCE (RFC 6749 §4.1, RFC 7636). amazon-cognito-identity-js has no OAuth support, so the round
 * trip is ours: it starts here, completes on the redirect URI, and writes the tokens under the keys
 * the SDK reads (CognitoUser.cacheTokens): restore, refresh and every element then see an
 * ordinary session.
 *
 * This module is what every page loads: the status, the cheap check whether this page is a
 * callback, and sign-out's logout URL. The round trip itself is in hosted-flow.ts, imported only
 * when a sign-in starts or a callback arrives (issue 6, bundle weight).
 */
import { CognitoErrorEvent, CognitoSignedInEvent } from "../elements/events.ts";
import type { AuthClient } from "./client.ts";
import { ConfigError } from "./config.ts";
import { AuthError } from "./errors.ts";
import type { Callback } from "./hosted-flow.ts";
import { hostedMarkKey } from "./storage.ts";
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

type HostedClient = AuthClient & { config: { domain: string; redirectUri: string } };

function configured(client: AuthClient | undefined): HostedClient {
  if (!client) throw new ConfigError("poolId", "missing", "options");
  if (!client.config.domain) throw new ConfigError("domain", "missing", "options");
  return client as HostedClient;
}

/** The round trip's module; a failure to fetch it reads as the network failure it is. */
const flow = () =>
  import("./hosted-flow.ts").catch(() => {
    throw new AuthError("network");
  });

/**
 * Sends the browser to the hosted UI: to `provider`'s sign-in when given (an identity provider
 * name as set up in the pool: `Google`, `Facebook`, `SignInWithApple`, a SAML or OIDC name), else
 * to Cognito's own sign-in page.
 */
export async function startHostedSignIn(provider?: string, client = authStore.client): Promise<void> {
  const { config } = configured(client);
  const { authorize } = await flow();
  setStatus({ pending: false });
  await authorize(config, provider);
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

/** The callback's parameters, taken out of the address bar; null when this page is not a callback. */
function takeCallback(redirectUri: string): Callback | null {
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
  return { code, state, error };
}

async function complete(client: HostedClient): Promise<SessionUser | null> {
  const callback = takeCallback(client.config.redirectUri);
  if (!callback) return null;
  setStatus({ pending: true });
  // On the page's login if it has one (by now it has been parsed), else on the document.
  const emit = (event: Event) => (document.querySelector("cognito-login") ?? document).dispatchEvent(event);
  try {
    const user = await (await flow()).redeem(client, callback);
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

/**
 * Where sign-out sends the browser after a hosted UI sign-in, to end the hosted UI's own session
 * (else its cookie signs the next person in without asking): `<domain>/logout`. Undefined for
 * other sessions, and when the domain is the emulator at `endpoint` (cognito-local has no /logout).
 */
export function hostedLogoutUrl(client: AuthClient): string | undefined {
  const { domain, redirectUri, clientId, endpoint } = client.config;
  if (!domain || !redirectUri || !client.storage.getItem(hostedMarkKey(clientId))) return undefined;
  if (endpoint && new URL(endpoint).origin === domain) return undefined;
  return `${domain}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: redirectUri })}`;
}
