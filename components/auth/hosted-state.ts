/**
 * What the rest of the package needs of the hosted UI without loading its OAuth code: the status
 * of a round trip (for the login's buttons and the events), and ending the hosted UI's session at
 * sign-out. hosted.ts, the round trip itself, is loaded only when a page uses the hosted UI.
 */
import type { AuthConfig } from "./config.ts";
import type { AuthError } from "./errors.ts";
import type { AuthenticationResult } from "./session.ts";
import { keyPrefix, type TokenStorage } from "./storage.ts";
import type { SessionUser } from "./tokens.ts";

/** What the round trip needs of the client (AuthClient is one). */
export interface HostedClient {
  readonly config: AuthConfig;
  readonly storage: TokenStorage;
  adoptTokens(result: AuthenticationResult): SessionUser;
}

/** The callback being completed, or how the last completion ended. */
export interface HostedStatus {
  readonly pending: boolean;
  readonly error?: AuthError;
  /** Set once, by the completion that signed this user in. */
  readonly signedIn?: SessionUser;
}
let status: HostedStatus = { pending: false };
const listeners = new Set<() => void>();

export const hostedStatus = (): HostedStatus => status;

/** Calls `listener` whenever `hostedStatus()` changes; returns the unsubscribe. */
export function onHostedStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** For hosted.ts: the round trip moved on. */
export function setHostedStatus(next: HostedStatus): void {
  status = next;
  for (const listener of [...listeners]) listener();
}

// Marks a session that came from the hosted UI, so sign-out also ends the hosted UI's own session.
export const hostedKey = (clientId: string) => `${keyPrefix(clientId)}hosted`;

/**
 * Where sign-out sends the browser after a hosted UI sign-in, to end the hosted UI's own session
 * (else its cookie signs the next person in without asking): `<domain>/logout`. Undefined for
 * other sessions, and when the domain is the emulator at `endpoint` (cognito-local has no /logout).
 */
export function hostedLogoutUrl(client: HostedClient): string | undefined {
  const { domain, redirectUri, clientId, endpoint } = client.config;
  if (!domain || !redirectUri || !client.storage.getItem(hostedKey(clientId))) return undefined;
  if (endpoint && new URL(endpoint).origin === domain) return undefined;
  return `${domain}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: redirectUri })}`;
}

/** Called at sign-out, before the tokens are swept (the hosted marker is one of them): what ends the hosted UI's session. */
export function endHostedSession(client: HostedClient): () => void {
  const logout = hostedLogoutUrl(client);
  return () => {
    if (logout) location.assign(logout);
  };
}
