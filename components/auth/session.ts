/**
 * The signed-in session of one app client: the tokens in storage, their expiry, and refreshing
 * them. One refresh at a time: AuthClient shares one within the page, and tabs take turns through
 * Web Locks where the browser has them: with refresh-token rotation a refresh token can be spent once, so a second tab that waited
 * for the lock takes the tokens the first one stored instead of spending the old token again.
 */
import { AuthError } from "./errors.ts";
import { readTokens, sweepTokens, writeTokens, type StoredTokens, type TokenStorage } from "./storage.ts";
import { claims } from "./tokens.ts";
import type { Call } from "./transport.ts";

/** What InitiateAuth, RespondToAuthChallenge and the refresh operations return on success. */
export interface AuthenticationResult {
  readonly AccessToken: string;
  readonly IdToken: string;
  readonly RefreshToken?: string;
}

/** Exceptions that say "this server has no such operation": AWS's, cognito-local's. */
const UNKNOWN_OPERATION = new Set(["UnknownOperationException", "Unsupported"]);

/**
 * Whether `failure` says the server lacks GetTokensFromRefreshToken. moto answers an HTML 500 with
 * no exception name; that is taken as "unknown operation" only from a configured endpoint (an
 * emulator): from AWS it is an outage, and falling back there would spend a rotating refresh token
 * on a flow that refuses it.
 */
function lacksOperation(failure: unknown, emulated: boolean): boolean {
  if (!(failure instanceof AuthError)) return false;
  return UNKNOWN_OPERATION.has(failure.exception ?? "") || (emulated && failure.code === "service_unavailable" && !failure.exception);
}

/** The `exp` of each token, read once when the tokens are taken, not on every accessToken(). */
interface Expiry {
  readonly access: number;
  readonly id: number;
}
const NO_EXPIRY: Expiry = { access: NaN, id: NaN };

/** Both tokens' `exp`; undefined when either fails to decode: a damaged entry reads as no session rather than failing every call. */
function expiryOf(tokens: StoredTokens): Expiry | undefined {
  try {
    return { access: Number(claims(tokens.accessToken)["exp"]), id: Number(claims(tokens.idToken)["exp"]) };
  } catch {
    return undefined;
  }
}

/** The tokens of an answer, or AuthError `unknown` when it has none. */
export function resultOf(answer: { readonly AuthenticationResult?: AuthenticationResult }): AuthenticationResult {
  const result = answer.AuthenticationResult;
  if (typeof result?.AccessToken !== "string" || typeof result.IdToken !== "string") throw new AuthError("unknown");
  return result;
}

export class Session {
  readonly #clientId: string;
  readonly #storage: TokenStorage;
  readonly #call: Call;
  #tokens: StoredTokens | undefined;
  #expiry = NO_EXPIRY;
  /** Set once the server answered GetTokensFromRefreshToken as an unknown operation (emulators). */
  #legacyRefresh = false;

  readonly #emulated: boolean;

  /** `emulated`: the endpoint is configured (an emulator), not AWS's. */
  constructor(clientId: string, storage: TokenStorage, call: Call, emulated = false) {
    this.#emulated = emulated;
    this.#clientId = clientId;
    this.#storage = storage;
    this.#call = call;
  }

  get tokens(): StoredTokens | undefined {
    return this.#tokens;
  }

  /** Reads the session kept in storage (another tab's or an earlier page's); undefined when none. */
  load(): StoredTokens | undefined {
    const stored = readTokens(this.#storage, this.#clientId);
    const expiry = stored && expiryOf(stored);
    this.#tokens = expiry ? stored : undefined;
    this.#expiry = expiry || NO_EXPIRY;
    return this.#tokens;
  }

  /** Keeps the tokens of a sign-in (or a refresh, which may not return a new refresh token). */
  adopt(result: AuthenticationResult, refreshToken = result.RefreshToken): StoredTokens {
    const access = claims(result.AccessToken);
    const id = claims(result.IdToken);
    const username = access["username"];
    if (typeof username !== "string" || !username || typeof refreshToken !== "string") throw new AuthError("unknown");
    // As the SDK computes it (CognitoUserSession.calculateClockDrift): local clock − issue time.
    const issued = Math.min(Number(access["iat"]), Number(id["iat"]));
    const tokens: StoredTokens = {
      username,
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      refreshToken,
      clockDrift: Number.isFinite(issued) ? Math.floor(Date.now() / 1000) - issued : 0,
    };
    writeTokens(this.#storage, this.#clientId, tokens);
    this.#tokens = tokens;
    this.#expiry = { access: Number(access["exp"]), id: Number(id["exp"]) };
    return tokens;
  }

  /** Forgets the session here and in storage (every key of this client). */
  clear(): void {
    this.#tokens = undefined;
    this.#expiry = NO_EXPIRY;
    sweepTokens(this.#storage, this.#clientId);
  }

  /** Seconds until the held access token (or ID token) expires, judged on Cognito's clock; -1 without a session. */
  remaining(token: keyof Expiry = "access"): number {
    const exp = this.#expiry[token];
    return this.#tokens && Number.isFinite(exp) ? exp - (Date.now() / 1000 - this.#tokens.clockDrift) : -1;
  }

  /**
   * New tokens for the refresh token. Rejects `not_signed_in` when refused. Calls in one page are
   * shared by AuthClient.refresh; calls from other tabs wait for the lock and take what was stored.
   */
  async refresh(): Promise<StoredTokens> {
    const spent = this.#tokens?.refreshToken;
    const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
    const run = () => this.#refreshUnlessDone(spent);
    return locks ? locks.request(`cognito-elements.refresh.${this.#clientId}`, run) : run();
  }

  /** Inside the lock: if another tab refreshed while this one waited, its tokens are taken as they are. */
  async #refreshUnlessDone(spent: string | undefined): Promise<StoredTokens> {
    const stored = this.load();
    if (stored && stored.refreshToken !== spent && this.remaining() > 0) return stored;
    const refreshToken = stored?.refreshToken;
    if (!refreshToken) throw new AuthError("not_signed_in");
    try {
      const result = await this.#exchange(refreshToken);
      // A rotating client returns a new refresh token; otherwise the old one stays valid.
      return this.adopt(result, result.RefreshToken ?? refreshToken);
    } catch (failure) {
      if (failure instanceof AuthError && failure.code === "not_authorized") {
        this.clear();
        throw new AuthError("not_signed_in", failure.exception);
      }
      throw failure;
    }
  }

  /**
   * GetTokensFromRefreshToken, which works with and without refresh-token rotation; REFRESH_TOKEN_AUTH
   * only where the server does not know that operation (cognito-local, moto).
   */
  async #exchange(refreshToken: string): Promise<AuthenticationResult> {
    if (!this.#legacyRefresh) {
      try {
        return resultOf(await this.#call("GetTokensFromRefreshToken", { RefreshToken: refreshToken, ClientId: this.#clientId }));
      } catch (failure) {
        if (!lacksOperation(failure, this.#emulated)) throw failure;
        this.#legacyRefresh = true;
      }
    }
    const answer = await this.#call("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: this.#clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    return resultOf(answer);
  }
}
