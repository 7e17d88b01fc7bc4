/**
 * What the page may know about the signed-in user, read from the tokens the SDK already verified
 * came from Cognito. Tokens themselves never leave the auth core except through `accessToken()`.
 */
import type { CognitoUserSession } from "amazon-cognito-identity-js";

export interface SessionUser {
  readonly username: string;
  /** User attributes carried by the ID token (`email`, `name`, `custom:…`), as strings. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The access token's `cognito:groups`. */
  readonly groups: readonly string[];
}

// Claims that describe the token, not the user (OIDC core §2, Cognito ID token docs).
const TOKEN_CLAIMS = new Set([
  "iss", "aud", "exp", "iat", "nbf", "auth_time", "token_use", "event_id", "jti", "origin_jti",
  "nonce", "at_hash", "cognito:username", "cognito:groups", "cognito:roles", "cognito:preferred_role",
  "identities",
]);

function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function sessionUser(session: CognitoUserSession): SessionUser {
  const id = session.getIdToken().decodePayload() as Record<string, unknown>;
  const access = session.getAccessToken().decodePayload() as Record<string, unknown>;
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(id)) {
    if (!TOKEN_CLAIMS.has(name) && value !== undefined && value !== null) attributes[name] = text(value);
  }
  const groups = access["cognito:groups"];
  return {
    username: text(access["username"] ?? id["cognito:username"] ?? ""),
    attributes: Object.freeze(attributes),
    groups: Object.freeze(Array.isArray(groups) ? groups.map(String) : []),
  };
}

/** The same user with attributes from GetUser over the token's (GetUser is the full, current list). */
export function withAttributes(user: SessionUser, attributes: Readonly<Record<string, string>>): SessionUser {
  return { ...user, attributes: Object.freeze({ ...user.attributes, ...attributes }) };
}
