/**
 * Revocation-aware paths (`REVOCATION_CHECK_PATHS`): an access token verifies locally until
 * `exp` even after `GlobalSignOut` or `RevokeToken`. On these paths the gate also asks Cognito,
 * with `GetUser` and the token itself, which Cognito refuses (`NotAuthorizedException`) once
 * the token is revoked.
 *
 * - An answer is reused for the same token for `REVOCATION_CHECK_SECONDS` at most, and never
 *   past the token's `exp`. A refusal is final: it is kept until `exp`. Answers are kept under the
 *   token's signature segment, not the whole token: the check runs only on a token that has just
 *   verified, and an RS256 signature verifies one signing input only, so the segment names the
 *   token while costing a third of its memory.
 * - One `GetUser` in flight per token. Concurrent requests for that token wait for its answer
 *   (on Workers by polling, as worker/jwks.ts does: a request must not await another's I/O).
 * - Cognito unreachable, slow (`JWKS_TIMEOUT_SECONDS`), throttling or answering anything but a
 *   user or a refusal: 503 `revocation_unavailable` on these paths only; never a 200 unchecked.
 * - `GetUser` only accepts tokens holding the `aws.cognito.signin.user.admin` scope. A token
 *   without it (a machine client's, or a user's with narrower scopes) cannot be checked and is
 *   refused with 403 `insufficient_scope` on these paths: fail closed, and keep machine routes
 *   out of `REVOCATION_CHECK_PATHS` (a client-credentials token has no refresh token to revoke
 *   and no session to sign out of).
 *
 * Cost toward Cognito: one `GetUser` per distinct token per `REVOCATION_CHECK_SECONDS` per
 * isolate. `GetUser` falls in Cognito's "UserRead" quota category, shared by the whole account
 * and region; see README.md for what that means at 10k and 1M users.
 */
import type { Config } from "./config.ts";
import { GateError } from "./errors.ts";
import { pollWhile } from "./poll.ts";
import type { Verified } from "./verify.ts";

/** The scope `GetUser` needs (AWS API reference, GetUser: "aws.cognito.signin.user.admin"). */
const USER_ADMIN_SCOPE = "aws.cognito.signin.user.admin";
/** Entries kept at most (about 350 bytes of signature each); the oldest go first. */
const MAX_ENTRIES = 10_000;

interface Answer {
  readonly live: boolean;
  /** Not reused from this time on (ms since the epoch). */
  readonly untilMs: number;
  /** When Cognito answered: a request that began before then and waited for it may use it. */
  readonly answeredMs: number;
}

/** Resolves when Cognito holds the token live; throws a GateError otherwise. */
export type RevocationCheck = (token: string, verified: Verified, now: number) => Promise<void>;

export interface RevocationOptions {
  fetch: typeof globalThis.fetch;
  /** The clock requests are judged by (default `Date.now`). */
  now?: (() => number) | undefined;
  /** Wait for another request's `GetUser` by polling instead of awaiting its promise (Workers). */
  waitForInFlight?: boolean | undefined;
}

/**
 * GetUser's answers that refuse the token itself (AWS API reference, GetUser, "Errors"): revoked,
 * signed out everywhere or expired; the user deleted, unconfirmed or made to reset the password.
 * Any other error (throttling, an internal error) says nothing about the token: 503.
 */
const REFUSALS = new Set(["NotAuthorizedException", "UserNotFoundException", "UserNotConfirmedException", "PasswordResetRequiredException"]);

const unavailable = (cause?: unknown) => new GateError("revocation_unavailable", "Cognito cannot be asked whether the token is revoked", { cause });
const revoked = () => new GateError("token_invalid", "The access token has been revoked");

/** Cognito's error type, from `__type` (`NotAuthorizedException`, or a `…#Name` form). */
async function errorType(response: Response): Promise<string | undefined> {
  const header = response.headers.get("x-amzn-errortype");
  let type = header ?? undefined;
  if (type === undefined) {
    const body = (await response.json().catch(() => undefined)) as { __type?: unknown } | undefined;
    if (typeof body?.__type === "string") type = body.__type;
  } else {
    await response.body?.cancel();
  }
  return type?.split("#").at(-1)?.split(":")[0];
}

/** Asks Cognito once: true when the token is live, false when refused, else throws. */
async function getUser(token: string, config: Config, fetch: typeof globalThis.fetch): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(config.cognitoEndpoint!, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.GetUser",
      },
      body: JSON.stringify({ AccessToken: token }),
      redirect: "manual",
      signal: AbortSignal.timeout(config.jwksTimeoutMs),
    });
  } catch (error) {
    throw unavailable(error);
  }
  if (response.status === 200) {
    // Only Cognito's own answer, a user, counts: a proxy's maintenance page is no yes.
    const body = (await response.json().catch(() => undefined)) as { Username?: unknown } | undefined;
    if (typeof body?.Username === "string") return true;
    throw unavailable();
  }
  const type = response.status === 400 ? await errorType(response) : (await response.body?.cancel(), undefined);
  if (type !== undefined && REFUSALS.has(type)) return false;
  throw unavailable();
}

export function createRevocationCheck(config: Config, { fetch, now: clock = Date.now, waitForInFlight = false }: RevocationOptions): RevocationCheck {
  const answers = new Map<string, Answer>();
  const inFlight = new Map<string, Promise<boolean>>();

  function remember(key: string, live: boolean, expMs: number, now: number): void {
    answers.delete(key);
    answers.set(key, { live, untilMs: live ? Math.min(expMs, now + config.revocationCheckMs) : expMs, answeredMs: clock() });
    for (const oldest of answers.keys()) {
      if (answers.size <= MAX_ENTRIES) break;
      answers.delete(oldest);
    }
  }

  function cached(key: string, now: number): boolean | undefined {
    const answer = answers.get(key);
    if (answer === undefined) return undefined;
    if (now < answer.untilMs) return answer.live;
    answers.delete(key);
    return undefined;
  }

  async function ask(token: string, key: string, expMs: number, now: number): Promise<boolean> {
    const asking = getUser(token, config, fetch);
    inFlight.set(key, asking);
    try {
      const live = await asking;
      remember(key, live, expMs, now);
      return live;
    } finally {
      if (inFlight.get(key) === asking) inFlight.delete(key);
    }
  }

  /** `key` is the token's signature segment. */
  async function live(token: string, key: string, expMs: number, now: number): Promise<boolean> {
    const known = cached(key, now);
    if (known !== undefined) return known;
    const other = inFlight.get(key);
    if (other !== undefined) {
      if (!waitForInFlight) return other;
      await pollWhile(() => inFlight.has(key), config.jwksTimeoutMs);
      // The answer to the GetUser this request waited for (or a later one), even with a cache
      // time of 0; never past `exp`.
      const answered = answers.get(key);
      if (answered !== undefined && answered.answeredMs >= now && now < expMs) return answered.live;
    }
    return ask(token, key, expMs, now);
  }

  return async (token, { identity, expMs }, now) => {
    if (!identity.scopes.includes(USER_ADMIN_SCOPE)) {
      throw new GateError("insufficient_scope", "This path needs a token Cognito can check for revocation");
    }
    if (!(await live(token, token.slice(token.lastIndexOf(".") + 1), expMs, now))) throw revoked();
  };
}
