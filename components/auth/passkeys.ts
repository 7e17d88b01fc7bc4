/**
 * A signed-in user's passkeys and sign-in factors, authorised by their access token. Shapes: the
 * AWS Cognito API reference (ListWebAuthnCredentials, StartWebAuthnRegistration,
 * CompleteWebAuthnRegistration, DeleteWebAuthnCredential, GetUserAuthFactors). Loaded only where
 * passkeys are managed (with webauthn.ts, for the ceremony).
 */
import { AuthError } from "./errors.ts";
import type { Factor } from "./sign-in.ts";
import type { Call } from "./transport.ts";
import { createCredential, type CreationOptionsJson } from "./webauthn.ts";

export interface Passkey {
  readonly id: string;
  /** The name the authenticator or the user gave it, if any. */
  readonly name?: string;
  readonly createdAt: Date;
  /** `platform` (this device) or `cross-platform` (a security key, a phone), when Cognito knows. */
  readonly attachment?: string;
}

interface CredentialDescription {
  readonly CredentialId?: string;
  readonly FriendlyCredentialName?: string;
  readonly AuthenticatorAttachment?: string;
  /** Seconds since the epoch. */
  readonly CreatedAt?: number;
}

export async function listPasskeys(call: Call, accessToken: string): Promise<Passkey[]> {
  const found: Passkey[] = [];
  let next: string | undefined;
  do {
    const page = await call<{ Credentials?: readonly CredentialDescription[]; NextToken?: string }>("ListWebAuthnCredentials", {
      AccessToken: accessToken,
      ...(next ? { NextToken: next } : {}),
    });
    for (const item of page.Credentials ?? []) {
      if (!item.CredentialId) continue;
      found.push({
        id: item.CredentialId,
        createdAt: new Date((item.CreatedAt ?? 0) * 1000),
        ...(item.FriendlyCredentialName ? { name: item.FriendlyCredentialName } : {}),
        ...(item.AuthenticatorAttachment ? { attachment: item.AuthenticatorAttachment } : {}),
      });
    }
    next = page.NextToken;
  } while (next);
  return found;
}

/** Registers a new passkey: Cognito's options, the browser's ceremony, Cognito's check. */
export async function addPasskey(call: Call, accessToken: string): Promise<void> {
  const start = await call<{ CredentialCreationOptions?: CreationOptionsJson }>("StartWebAuthnRegistration", { AccessToken: accessToken });
  if (!start.CredentialCreationOptions) throw new AuthError("unknown");
  const credential = await createCredential(start.CredentialCreationOptions);
  await call("CompleteWebAuthnRegistration", { AccessToken: accessToken, Credential: credential });
}

export async function deletePasskey(call: Call, accessToken: string, id: string): Promise<void> {
  await call("DeleteWebAuthnCredential", { AccessToken: accessToken, CredentialId: id });
}

/**
 * Every factor this client knows; the compiler keeps it in step with `Factor`. Not sign-in.ts's
 * `isFactor`: this lazy chunk importing sign-in.ts would split the up-front code into a shared
 * chunk, 0.85 KB gzip heavier.
 */
const KNOWN_FACTORS: Readonly<Record<Factor, true>> = { WEB_AUTHN: true, EMAIL_OTP: true, SMS_OTP: true, PASSWORD: true, PASSWORD_SRP: true };

/** The factors the user can sign in with now (ConfiguredUserAuthFactors). */
export async function authFactors(call: Call, accessToken: string): Promise<Factor[]> {
  const answer = await call<{ ConfiguredUserAuthFactors?: readonly string[] }>("GetUserAuthFactors", { AccessToken: accessToken });
  return (answer.ConfiguredUserAuthFactors ?? []).filter((factor): factor is Factor => Object.hasOwn(KNOWN_FACTORS, factor));
}
