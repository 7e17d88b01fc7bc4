/**
 * AuthClient: what the elements call. It holds one app client's state (the session, a sign-in
 * waiting on a challenge, the user's attributes as GetUser last told them) and composes the
 * operations of sign-in.ts, account.ts and profile.ts over one transport. Failures reject with
 * AuthError (never a raw Cognito message).
 */
import * as account from "./account.ts";
import type { AuthConfig } from "./config.ts";
import { AuthError } from "./errors.ts";
import { endHostedSession, type HostedClient } from "./hosted-state.ts";
import * as profile from "./profile.ts";
import type { Passkey } from "./passkeys.ts";
import {
  answerWithPassword,
  associateForSetup,
  initiate,
  MFA_CODE_KEY,
  respond,
  startChoice,
  verifySetup,
  type Challenge,
  type Factor,
  type MfaType,
  type SignInResult,
  type Step,
} from "./sign-in.ts";
import { Session, type AuthenticationResult } from "./session.ts";
import { storageFor, type StoredTokens, type TokenStorage } from "./storage.ts";
import { claims, sessionUser, withAttributes, type SessionUser } from "./tokens.ts";
import { createCall, userPoolEndpoint, type Call } from "./transport.ts";

export type { CodeDelivery, SignUpInput, SignUpResult } from "./account.ts";
export type { MfaState } from "./profile.ts";
export type { Passkey } from "./passkeys.ts";
export type { Factor, MfaType, OtpType, SignInResult } from "./sign-in.ts";

export interface AuthClientOptions {
  /** Token storage; default: the one `config.storage` names. */
  readonly storage?: TokenStorage;
  /** Called whenever the session changes: a user after sign-in/restore/refresh, null after sign-out. */
  readonly onSession?: (user: SessionUser | null) => void;
}

/**
 * Cognito puts `origin_jti` in the tokens of app clients with token revocation on (the default);
 * for others RevokeToken can only fail (the SDK's `isSessionRevocable` draws the same line).
 */
function revocable(tokens: StoredTokens): boolean {
  try {
    return Boolean(tokens.refreshToken) && Boolean(claims(tokens.accessToken)["origin_jti"]);
  } catch {
    return false;
  }
}

export class AuthClient implements HostedClient {
  readonly config: AuthConfig;
  readonly storage: TokenStorage;
  readonly #call: Call;
  readonly #session: Session;
  readonly #onSession: (user: SessionUser | null) => void;
  /** The sign-in waiting for an answer to a challenge (new password, MFA). */
  #pending: Challenge | undefined;
  /** A choice-based sign-in (USER_AUTH): who, and the factors SELECT_CHALLENGE last offered. */
  #choice: { readonly username: string; available: readonly Factor[] } | undefined;
  /**
   * GetUser's attributes for the signed-in user: the ID token carries only some of them
   * (cognito-local: email and custom ones), so every published SessionUser is completed with these.
   */
  #fetched: { readonly username: string; values: Record<string, string> } | undefined;
  /** Bumped by every sign-in and sign-out, so a slower restore cannot overwrite them. */
  #generation = 0;
  /** The GetUser in flight, shared by concurrent reads of the same session; a write drops it. */
  #reading: { readonly generation: number; readonly values: Promise<Record<string, string>> } | undefined;
  #refreshing: Promise<SessionUser | null> | undefined;

  constructor(config: AuthConfig, options: AuthClientOptions = {}) {
    this.config = config;
    this.storage = options.storage ?? storageFor(config.storage);
    this.#onSession = options.onSession ?? (() => {});
    this.#call = createCall(userPoolEndpoint(config));
    this.#session = new Session(config.clientId, this.storage, this.#call, config.endpoint !== undefined);
  }

  signUp(input: account.SignUpInput): Promise<account.SignUpResult> {
    return account.signUp(this.#call, this.config.clientId, input);
  }

  async confirmSignUp(username: string, code: string): Promise<void> {
    await account.confirmSignUp(this.#call, this.config.clientId, username, code);
  }

  resendCode(username: string): Promise<account.CodeDelivery> {
    return account.resendCode(this.#call, this.config.clientId, username);
  }

  /** Sends a password-reset code. */
  forgotPassword(username: string): Promise<account.CodeDelivery> {
    return account.forgotPassword(this.#call, this.config.clientId, username);
  }

  /** Sets a new password with the code from `forgotPassword`. */
  confirmPassword(username: string, code: string, newPassword: string): Promise<void> {
    return account.confirmPassword(this.#call, this.config.clientId, username, code, newPassword);
  }

  /** Signs in with `config.authFlow` (SRP by default: the password never leaves the browser). */
  async signIn(username: string, password: string): Promise<SignInResult> {
    this.#pending = undefined;
    return this.#advance(await initiate(this.#call, this.config, username, password));
  }

  /**
   * Choice-based sign-in (`USER_AUTH`), step 1: names the user. `preferred` asks for that factor at
   * once; without it (or where the user cannot use it) Cognito offers a choice (`select-factor`).
   */
  startSignIn(username: string, preferred?: Factor): Promise<SignInResult> {
    return this.#startChoice(username, preferred);
  }

  /** `USER_AUTH` for `username`: with a factor preferred, or continuing ConfirmSignUp's `session`. */
  async #startChoice(username: string, preferred?: Factor, session?: string): Promise<SignInResult> {
    this.#pending = undefined;
    this.#choice = { username, available: [] };
    return this.#advance(await startChoice(this.#call, this.config.clientId, username, preferred, session));
  }

  /**
   * Picks a factor other than the password: answers SELECT_CHALLENGE while Cognito waits for one,
   * else starts again with the factor preferred (a session cannot switch factor).
   */
  async chooseFactor(factor: Exclude<Factor, "PASSWORD" | "PASSWORD_SRP">): Promise<SignInResult> {
    const choice = this.#choice;
    if (!choice) throw new AuthError("not_signed_in");
    const pending = this.#pending;
    if (pending?.name === "SELECT_CHALLENGE" && choice.available.includes(factor)) {
      return this.#advance(await respond(this.#call, this.config.clientId, pending, { ANSWER: factor }));
    }
    return this.startSignIn(choice.username, factor);
  }

  /** Signs in with the password inside a choice-based sign-in (SRP where the pool offers it). */
  async answerWithPassword(password: string): Promise<SignInResult> {
    const choice = this.#choice;
    if (!choice) throw new AuthError("not_signed_in");
    if (this.#pending?.name !== "SELECT_CHALLENGE") {
      const offered = await this.startSignIn(choice.username);
      if (offered.kind !== "select-factor") return offered;
    }
    try {
      return this.#advance(await answerWithPassword(this.#call, this.config, this.#challenged(), choice.available, password));
    } catch (failure) {
      // A refused password ends the session it answered: the next try starts a new one.
      this.#pending = undefined;
      throw failure;
    }
  }

  /** Answers EMAIL_OTP or SMS_OTP with the code Cognito sent. */
  sendOtp(code: string): Promise<SignInResult> {
    const name = this.#challenged().name;
    if (name !== "EMAIL_OTP" && name !== "SMS_OTP") throw new AuthError("not_signed_in");
    return this.#answer({ [MFA_CODE_KEY[name]]: code });
  }

  /** A new one-time code: Cognito has no resend here, so the sign-in starts again with the same factor. */
  resendOtp(): Promise<SignInResult> {
    const name = this.#challenged().name;
    return this.chooseFactor(name === "SMS_OTP" ? "SMS_OTP" : "EMAIL_OTP");
  }

  /**
   * Signs in with a passkey: the WebAuthn ceremony on CREDENTIAL_REQUEST_OPTIONS, its result as
   * CREDENTIAL. A challenge is answered once; trying again asks Cognito for a new one.
   */
  async signInWithPasskey(): Promise<SignInResult> {
    if (this.#pending?.name !== "WEB_AUTHN") {
      const next = await this.chooseFactor("WEB_AUTHN");
      if (next.kind !== "passkey") return next;
    }
    const challenge = this.#challenged();
    this.#pending = undefined;
    const { getCredential } = await import("./webauthn.ts");
    const credential = await getCredential(challenge.parameters["CREDENTIAL_REQUEST_OPTIONS"] ?? "");
    return this.#advance(await respond(this.#call, this.config.clientId, challenge, { CREDENTIAL: credential }));
  }

  /** Signs up without a password (a pool whose sign-in policy allows passkeys or one-time codes first). */
  signUpPasswordless(username: string, attributes: Readonly<Record<string, string>> = {}): Promise<account.SignUpResult> {
    return account.signUp(this.#call, this.config.clientId, { username, attributes });
  }

  /**
   * Confirms a sign-up and, where Cognito returns a session for it (passwordless pools), signs the
   * user in with that session: no second code. Resolves with undefined when there was no session.
   */
  async confirmAndSignIn(username: string, code: string): Promise<SignInResult | undefined> {
    const session = await account.confirmSignUp(this.#call, this.config.clientId, username, code);
    return session ? this.#startChoice(username, undefined, session) : undefined;
  }

  /** The signed-in user's passkeys (ListWebAuthnCredentials). */
  async passkeys(): Promise<Passkey[]> {
    const { listPasskeys } = await import("./passkeys.ts");
    return listPasskeys(this.#call, await this.accessToken(0));
  }

  /** Registers a passkey for the signed-in user (the browser asks them to create it). */
  async addPasskey(): Promise<void> {
    const { addPasskey } = await import("./passkeys.ts");
    await addPasskey(this.#call, await this.accessToken(0));
  }

  async deletePasskey(id: string): Promise<void> {
    const { deletePasskey } = await import("./passkeys.ts");
    await deletePasskey(this.#call, await this.accessToken(0), id);
  }

  /** The factors the signed-in user can sign in with (GetUserAuthFactors). */
  async authFactors(): Promise<Factor[]> {
    const { authFactors } = await import("./passkeys.ts");
    return authFactors(this.#call, await this.accessToken(0));
  }

  /** Answers NEW_PASSWORD_REQUIRED; `attributes` fills the ones the challenge listed as required. */
  async completeNewPassword(newPassword: string, attributes: Readonly<Record<string, string>> = {}): Promise<SignInResult> {
    const responses: Record<string, string> = { NEW_PASSWORD: newPassword };
    for (const [name, value] of Object.entries(attributes)) responses[`userAttributes.${name}`] = value;
    return this.#answer(responses);
  }

  /** Answers SMS_MFA or SOFTWARE_TOKEN_MFA. */
  sendMfaCode(code: string, type: MfaType): Promise<SignInResult> {
    return this.#answer({ [MFA_CODE_KEY[type]]: code });
  }

  /** Answers SELECT_MFA_TYPE; resolves with the `mfa` step for the chosen type. */
  selectMfa(type: MfaType): Promise<SignInResult> {
    return this.#answer({ ANSWER: type });
  }

  /** MFA_SETUP: starts TOTP association and resolves with the secret to show the user. */
  async setupTotp(): Promise<{ readonly secret: string }> {
    const { secret, challenge } = await associateForSetup(this.#call, this.#challenged());
    this.#pending = challenge;
    return { secret };
  }

  /** MFA_SETUP: verifies the first TOTP code, which completes the sign-in. */
  async verifyTotp(code: string): Promise<SignInResult> {
    return this.#advance(await verifySetup(this.#call, this.config.clientId, this.#challenged(), code));
  }

  async #answer(responses: Record<string, string>): Promise<SignInResult> {
    return this.#advance(await respond(this.#call, this.config.clientId, this.#challenged(), responses));
  }

  #challenged(): Challenge {
    if (!this.#pending) throw new AuthError("not_signed_in");
    return this.#pending;
  }

  #advance(step: Step): SignInResult {
    if (step.kind === "challenge") {
      this.#pending = step.challenge;
      if (step.view.kind === "select-factor" && this.#choice) this.#choice.available = step.view.factors;
      return step.view;
    }
    this.adoptTokens(step.result);
    return { kind: "signed-in" };
  }

  /**
   * Keeps the tokens of a completed sign-in and publishes the user. Used by sign-in and by the
   * hosted UI's code exchange; not for tokens from anywhere else.
   */
  adoptTokens(result: AuthenticationResult): SessionUser {
    this.#generation++;
    this.#pending = undefined;
    this.#choice = undefined;
    const user = this.#publish(this.#session.adopt(result));
    this.#completeAttributes();
    return user;
  }

  /** The signed-in user's MFA settings, as Cognito says now (GetUser). */
  async getMfa(): Promise<profile.MfaState> {
    return (await profile.getUser(this.#call, await this.accessToken(0))).mfa;
  }

  /** Profile TOTP setup, step 1: a new secret for the signed-in user (AssociateSoftwareToken). */
  async associateTotp(): Promise<{ readonly secret: string }> {
    return profile.associateTotp(this.#call, await this.accessToken(0));
  }

  /** Profile TOTP setup, step 2: checks the app's first code, then makes TOTP the preferred MFA. */
  async enableTotp(code: string): Promise<void> {
    await profile.enableTotp(this.#call, await this.accessToken(0), code);
  }

  /** Turns every second factor off (fails where the pool requires MFA). */
  async disableMfa(): Promise<void> {
    await profile.disableMfa(this.#call, await this.accessToken(0));
  }

  /**
   * The signed-in user's attributes from Cognito (GetUser), by name; the store's snapshot gets them too.
   * Concurrent calls (the client after sign-in, <cognito-profile>) share one request.
   */
  getAttributes(): Promise<Record<string, string>> {
    const generation = this.#generation;
    if (this.#reading?.generation === generation) return this.#reading.values;
    const values = this.#readAttributes(generation).finally(() => {
      if (this.#reading?.values === values) this.#reading = undefined;
    });
    this.#reading = { generation, values };
    return values;
  }

  async #readAttributes(generation: number): Promise<Record<string, string>> {
    const { attributes } = await profile.getUser(this.#call, await this.accessToken(0));
    const tokens = this.#session.tokens;
    if (tokens && generation === this.#generation) {
      this.#fetched = { username: sessionUser(tokens).username, values: attributes };
      this.#publish(tokens);
    }
    return attributes;
  }

  /** Updates attributes; resolves with the ones Cognito sent a verification code for. */
  updateAttributes(changes: Readonly<Record<string, string>>): Promise<string[]> {
    return this.#write(async () => {
      const pending = await profile.updateAttributes(this.#call, await this.accessToken(0), changes);
      const tokens = this.#session.tokens;
      if (tokens) {
        if (this.#fetched) this.#fetched.values = { ...this.#fetched.values, ...changes };
        this.#publish(tokens);
      }
      return pending;
    });
  }

  /** Sends (again) the code that verifies an email or phone number. */
  async sendAttributeCode(name: string): Promise<void> {
    await profile.sendAttributeCode(this.#call, await this.accessToken(0), name);
  }

  verifyAttribute(name: string, code: string): Promise<void> {
    return this.#write(async () => profile.verifyAttribute(this.#call, await this.accessToken(0), name, code));
  }

  /** Runs a change of attributes: a GetUser started before it settled is not shared after. */
  async #write<T>(change: () => Promise<T>): Promise<T> {
    this.#reading = undefined;
    try {
      return await change();
    } finally {
      this.#reading = undefined;
    }
  }

  async changePassword(oldPassword: string, newPassword: string): Promise<void> {
    await profile.changePassword(this.#call, await this.accessToken(0), oldPassword, newPassword);
  }

  /** Signs out on every device (GlobalSignOut), then clears this one. */
  async signOutEverywhere(): Promise<void> {
    await profile.globalSignOut(this.#call, await this.accessToken(0));
    await this.signOut();
  }

  /** Deletes the signed-in user's account, then clears every token. */
  async deleteAccount(): Promise<void> {
    await profile.deleteUser(this.#call, await this.accessToken(0));
    await this.signOut();
  }

  /**
   * Removes every token this client stored, at once, then asks Cognito to revoke the refresh token
   * in the background (a dead network must not keep the user signed in here).
   */
  async signOut(): Promise<void> {
    this.#generation++;
    const tokens = this.#session.tokens ?? this.#session.load();
    if (tokens && revocable(tokens)) this.#call("RevokeToken", { Token: tokens.refreshToken, ClientId: this.config.clientId }).catch(() => {});
    // Read before the sweep: the hosted UI's marker is one of the keys it removes.
    const endHosted = endHostedSession(this);
    this.#session.clear();
    this.#fetched = undefined;
    this.#pending = undefined;
    this.#choice = undefined;
    this.#onSession(null);
    endHosted();
  }

  /** Reads the session kept in storage (refreshing it if expired). Null when there is none. */
  async restore(): Promise<SessionUser | null> {
    const generation = ++this.#generation;
    let tokens = this.#session.load();
    if (tokens && this.#session.remaining() <= 0) tokens = await this.refresh().then(() => this.#session.tokens, () => undefined);
    if (generation !== this.#generation) return this.#session.tokens ? this.#userOf(this.#session.tokens) : null;
    if (!tokens) {
      this.#onSession(null);
      return null;
    }
    const user = this.#publish(tokens);
    this.#completeAttributes();
    return user;
  }

  /** Exchanges the refresh token for new tokens; concurrent calls share one request and one answer. */
  refresh(): Promise<SessionUser | null> {
    this.#refreshing ??= this.#session
      .refresh()
      .then(
        (tokens) => this.#publish(tokens),
        (failure: unknown) => {
          if (failure instanceof AuthError && failure.code === "not_signed_in") this.#onSession(null);
          throw failure;
        },
      )
      .finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /**
   * The current access token, refreshed first when it expires within `minValiditySeconds`.
   * Rejects with AuthError `not_signed_in` when there is no session.
   */
  async accessToken(minValiditySeconds = 60): Promise<string> {
    if (!this.#session.tokens) await this.restore();
    let tokens = this.#session.tokens;
    if (!tokens) throw new AuthError("not_signed_in");
    if (this.#session.remaining() < minValiditySeconds) {
      await this.refresh();
      tokens = this.#session.tokens;
      if (!tokens) throw new AuthError("not_signed_in");
    }
    return tokens.accessToken;
  }

  /**
   * The current ID token, for an identity pool's `Logins` (credentials.ts), refreshed first when it
   * or the access token expires within `minValiditySeconds` (an app client may give the two
   * different lifetimes). Rejects with AuthError `not_signed_in` when there is no session.
   */
  async idToken(minValiditySeconds = 60): Promise<string> {
    await this.accessToken(minValiditySeconds);
    if (this.#session.tokens && this.#session.remaining("id") < minValiditySeconds) await this.refresh();
    const tokens = this.#session.tokens;
    if (!tokens) throw new AuthError("not_signed_in");
    return tokens.idToken;
  }

  /** Who is signed in: the tokens' claims, completed by GetUser's attributes for the same user. */
  #userOf(tokens: StoredTokens): SessionUser {
    const found = sessionUser(tokens);
    return this.#fetched?.username === found.username ? withAttributes(found, this.#fetched.values) : found;
  }

  #publish(tokens: StoredTokens): SessionUser {
    const user = this.#userOf(tokens);
    this.#onSession(user);
    return user;
  }

  /** After sign-in or restore: one GetUser; until it answers (or if it fails) the ID token's attributes show. */
  #completeAttributes(): void {
    void this.getAttributes().catch(() => {});
  }
}
