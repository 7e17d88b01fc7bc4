/**
 * The gate's one error type and the one table that turns an error code into a response.
 *
 * Messages are fixed strings chosen here: they may name a claim or a setting, never a value taken
 * from a token, a key or the configuration (SECURITY.md: no token, claim or key material in a body).
 */

export type ErrorCode =
  | "token_missing"
  | "token_malformed"
  | "token_expired"
  | "token_invalid"
  | "insufficient_scope"
  | "jwks_unavailable"
  | "revocation_unavailable"
  | "origin_unavailable"
  | "config_invalid"
  | "request_invalid"
  | "method_not_allowed";

export class GateError extends Error {
  override readonly name = "GateError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** RFC 6750 §3: the realm every challenge carries. */
const REALM = `Bearer realm="api"`;

interface ErrorShape {
  readonly status: number;
  /** RFC 6750 §3.1 error code for `WWW-Authenticate`, or null for "no challenge error code". */
  readonly challenge: "invalid_token" | "insufficient_scope" | null | undefined;
}

/**
 * code → status and challenge. `undefined` challenge: no `WWW-Authenticate` at all (not an
 * authentication problem); `null`: a bare `Bearer realm` challenge, which RFC 6750 §3.1 asks for
 * when the request carried no credentials.
 */
const TABLE: Readonly<Record<ErrorCode, ErrorShape>> = {
  token_missing: { status: 401, challenge: null },
  token_malformed: { status: 401, challenge: "invalid_token" },
  token_expired: { status: 401, challenge: "invalid_token" },
  token_invalid: { status: 401, challenge: "invalid_token" },
  insufficient_scope: { status: 403, challenge: "insufficient_scope" },
  jwks_unavailable: { status: 503, challenge: undefined },
  revocation_unavailable: { status: 503, challenge: undefined },
  origin_unavailable: { status: 502, challenge: undefined },
  config_invalid: { status: 500, challenge: undefined },
  request_invalid: { status: 400, challenge: undefined },
  method_not_allowed: { status: 405, challenge: undefined },
};

/** RFC 9110 §15.5.6: a 405 lists what is allowed. `fetch` cannot send CONNECT, TRACE or TRACK. */
const ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/** Quoted-string safe (RFC 9110 §5.6.4): our messages are ASCII without `"` or `\`; enforce it anyway. */
function quoted(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, "");
}

/** The only function that builds an error response. */
export function errorResponse(error: GateError): Response {
  const { status, challenge } = TABLE[error.code];
  const headers = new Headers({
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  if (challenge === null) headers.set("www-authenticate", REALM);
  if (challenge) {
    headers.set(
      "www-authenticate",
      `${REALM}, error="${challenge}", error_description="${quoted(error.message)}"`,
    );
  }
  if (status === 503) headers.set("retry-after", "5");
  if (status === 405) headers.set("allow", ALLOW);
  return new Response(JSON.stringify({ error: error.code, message: error.message }), { status, headers });
}

/** Any failure that is not already a GateError is a fault of ours: fail closed, say nothing about it. */
export function asGateError(error: unknown, fallback: ErrorCode, message: string): GateError {
  return error instanceof GateError ? error : new GateError(fallback, message, { cause: error });
}
