/**
 * What the page may know about the signed-in user, read from the tokens Cognito returned over TLS
 * to this client. Tokens themselves never leave the auth core except through `accessToken()`.
 */

export interface SessionUser {
  /** Cognito's username: in pools that sign in by email or phone, the user's `sub`. */
  readonly username: string;
  /** What the user signs in with and recognises: the email or phone number in such pools, else the username. */
  readonly loginId: string;
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

/**
 * A JWT's payload, unverified: the client reads its own tokens (for expiry and display), it does
 * not authorise anything with them. Throws on anything that is not a JSON object.
 */
export function claims(jwt: string): Record<string, unknown> {
  const part = jwt.split(".")[1] ?? "";
  const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  const payload: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) throw new TypeError("JWT payload is not an object");
  return payload as Record<string, unknown>;
}

export function sessionUser(tokens: { readonly idToken: string; readonly accessToken: string }): SessionUser {
  const id = claims(tokens.idToken);
  const access = claims(tokens.accessToken);
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(id)) {
    if (!TOKEN_CLAIMS.has(name) && value !== undefined && value !== null) attributes[name] = text(value);
  }
  const groups = access["cognito:groups"];
  const username = text(access["username"] ?? id["cognito:username"] ?? "");
  return {
    username,
    loginId: loginIdOf(username, attributes),
    attributes: Object.freeze(attributes),
    groups: Object.freeze(Array.isArray(groups) ? groups.map(String) : []),
  };
}

/** The same user with attributes from GetUser over the token's (GetUser is the full, current list). */
export function withAttributes(user: SessionUser, attributes: Readonly<Record<string, string>>): SessionUser {
  const merged = Object.freeze({ ...user.attributes, ...attributes });
  return { ...user, loginId: loginIdOf(user.username, merged), attributes: merged };
}

/** Pools that sign in by email or phone name each user by their sub: the person knows the address. */
function loginIdOf(username: string, attributes: Readonly<Record<string, string>>): string {
  return username === attributes["sub"] ? (attributes["email"] ?? attributes["phone_number"] ?? username) : username;
}
