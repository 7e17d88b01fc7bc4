/**
 * One table from Cognito exception names to stable codes. Elements show `messages().errors[code]`;
 * the raw Cognito message is dropped here and never reaches the page.
 */

export type AuthErrorCode =
  | "invalid_credentials"
  | "user_not_found"
  | "password_policy"
  | "username_exists"
  | "user_not_confirmed"
  | "code_mismatch"
  | "code_expired"
  | "limit_exceeded"
  | "too_many_failed_attempts"
  | "invalid_parameter"
  | "password_reset_required"
  | "network"
  | "service_unavailable"
  | "not_authorized"
  | "not_signed_in"
  | "origin_not_allowed"
  | "unsupported"
  | "state_mismatch"
  | "authorization_code_invalid"
  | "provider_refused"
  | "guests_not_allowed"
  | "unknown";

/** What the failing call was doing: a few exceptions mean something else while signing in. */
export type AuthOperation = "sign-in" | "other";

export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly code: AuthErrorCode;
  /** The Cognito exception name (`NotAuthorizedException` …), when there was one. */
  readonly exception: string | undefined;

  constructor(code: AuthErrorCode, exception?: string) {
    super(`cognito-elements: ${code}${exception ? ` (${exception})` : ""}`);
    this.code = code;
    this.exception = exception;
  }
}

const BY_EXCEPTION: Readonly<Record<string, AuthErrorCode>> = {
  NotAuthorizedException: "not_authorized",
  UserNotFoundException: "user_not_found",
  InvalidPasswordException: "password_policy",
  UsernameExistsException: "username_exists",
  AliasExistsException: "username_exists",
  UserNotConfirmedException: "user_not_confirmed",
  CodeMismatchException: "code_mismatch",
  ExpiredCodeException: "code_expired",
  LimitExceededException: "limit_exceeded",
  TooManyRequestsException: "limit_exceeded",
  TooManyFailedAttemptsException: "too_many_failed_attempts",
  InvalidParameterException: "invalid_parameter",
  PasswordResetRequiredException: "password_reset_required",
  NetworkError: "network",
};

// While signing in, a wrong password and an unknown user must read the same (no account
// enumeration). cognito-local answers a wrong password with InvalidPasswordException where AWS
// says NotAuthorizedException, so all three collapse into one code.
const SIGN_IN_OVERRIDES: Readonly<Record<string, AuthErrorCode>> = {
  NotAuthorizedException: "invalid_credentials",
  UserNotFoundException: "invalid_credentials",
  InvalidPasswordException: "invalid_credentials",
};

function exceptionName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === "string" && code !== "") return code;
  if (typeof name === "string" && name !== "Error" && name !== "TypeError") return name;
  return undefined;
}

/** Maps a Cognito exception (by `name` or `code`) to an AuthError; unknown names become `unknown`. */
export function toAuthError(error: unknown, operation: AuthOperation = "other"): AuthError {
  if (error instanceof AuthError) return error;
  const exception = exceptionName(error);
  if (exception === undefined && error instanceof TypeError) return new AuthError("network");
  const code =
    (exception && operation === "sign-in" ? SIGN_IN_OVERRIDES[exception] : undefined) ??
    (exception ? BY_EXCEPTION[exception] : undefined) ??
    "unknown";
  return new AuthError(code, exception);
}
