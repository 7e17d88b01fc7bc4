/**
 * The browser's half of a passkey: the WebAuthn ceremonies with the options Cognito sends, and
 * their results as the JSON Cognito takes (W3C WebAuthn Level 3 RegistrationResponseJSON and
 * AuthenticationResponseJSON: binary fields as base64url without padding). Loaded only when a
 * passkey is used.
 */
import { AuthError } from "./errors.ts";

/** A credential descriptor as JSON (`id` base64url). */
interface DescriptorJson {
  readonly id: string;
  readonly type: "public-key";
  readonly transports?: AuthenticatorTransport[];
}

/** PublicKeyCredentialRequestOptionsJSON: Cognito's CREDENTIAL_REQUEST_OPTIONS. */
interface RequestOptionsJson extends Omit<PublicKeyCredentialRequestOptions, "challenge" | "allowCredentials"> {
  readonly challenge: string;
  readonly allowCredentials?: readonly DescriptorJson[];
}

/** PublicKeyCredentialCreationOptionsJSON: StartWebAuthnRegistration's CredentialCreationOptions. */
export interface CreationOptionsJson extends Omit<PublicKeyCredentialCreationOptions, "challenge" | "user" | "excludeCredentials"> {
  readonly challenge: string;
  readonly user: { readonly id: string; readonly name: string; readonly displayName: string };
  readonly excludeCredentials?: readonly DescriptorJson[];
}

function fromBase64url(value: string): ArrayBuffer {
  const binary = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0)).buffer;
}

function base64url(buffer: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function descriptors(list: readonly DescriptorJson[] | undefined): PublicKeyCredentialDescriptor[] | undefined {
  return list?.map((item) => ({ ...item, id: fromBase64url(item.id) }));
}

/**
 * Runs a ceremony. The browser's refusals (the user cancelled, no passkey for this site, user
 * verification failed: all `NotAllowedError` by design, so a page cannot probe for credentials)
 * become AuthError `unknown` carrying the DOMException's name.
 */
async function ceremony(run: () => Promise<Credential | null>): Promise<PublicKeyCredential> {
  let credential: Credential | null;
  try {
    credential = await run();
  } catch (failure) {
    const name = failure instanceof DOMException && /^\w{1,40}$/.test(failure.name) ? failure.name : "NotAllowedError";
    throw new AuthError("unknown", name);
  }
  if (!(credential instanceof PublicKeyCredential)) throw new AuthError("unknown", "NotAllowedError");
  return credential;
}

function common(credential: PublicKeyCredential) {
  return {
    id: credential.id,
    rawId: base64url(credential.rawId),
    type: "public-key",
    ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

/** Signs Cognito's challenge with a passkey; resolves with AuthenticationResponseJSON as a string (the CREDENTIAL answer). */
export async function getCredential(optionsJson: string): Promise<string> {
  let options: RequestOptionsJson;
  try {
    options = JSON.parse(optionsJson) as RequestOptionsJson;
  } catch {
    throw new AuthError("unknown");
  }
  const { allowCredentials, challenge, ...rest } = options;
  const allowed = descriptors(allowCredentials);
  const publicKey: PublicKeyCredentialRequestOptions = { ...rest, challenge: fromBase64url(challenge), ...(allowed ? { allowCredentials: allowed } : {}) };
  const credential = await ceremony(() => navigator.credentials.get({ publicKey }));
  const response = credential.response as AuthenticatorAssertionResponse;
  return JSON.stringify({
    ...common(credential),
    response: {
      clientDataJSON: base64url(response.clientDataJSON),
      authenticatorData: base64url(response.authenticatorData),
      signature: base64url(response.signature),
      ...(response.userHandle ? { userHandle: base64url(response.userHandle) } : {}),
    },
  });
}

/** Creates a passkey with StartWebAuthnRegistration's options; resolves with RegistrationResponseJSON. */
export async function createCredential(options: CreationOptionsJson): Promise<Record<string, unknown>> {
  const { excludeCredentials, challenge, user, ...rest } = options;
  const excluded = descriptors(excludeCredentials);
  const publicKey: PublicKeyCredentialCreationOptions = {
    ...rest,
    challenge: fromBase64url(challenge),
    user: { ...user, id: fromBase64url(user.id) },
    ...(excluded ? { excludeCredentials: excluded } : {}),
  };
  const credential = await ceremony(() => navigator.credentials.create({ publicKey }));
  const response = credential.response as AuthenticatorAttestationResponse;
  const publicKeyDer = response.getPublicKey?.();
  return {
    ...common(credential),
    response: {
      clientDataJSON: base64url(response.clientDataJSON),
      attestationObject: base64url(response.attestationObject),
      transports: response.getTransports?.() ?? [],
      ...(response.getAuthenticatorData ? { authenticatorData: base64url(response.getAuthenticatorData()) } : {}),
      ...(publicKeyDer ? { publicKey: base64url(publicKeyDer), publicKeyAlgorithm: response.getPublicKeyAlgorithm() } : {}),
    },
  };
}
