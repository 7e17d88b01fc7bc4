/**
 * AuthClient: the only module that talks to amazon-cognito-identity-js. Every SDK callback becomes
 * a promise; sign-in outcomes are a discriminated union so an element's flow is a checked `switch`.
 * Failures reject with AuthError (never a raw Cognito message).
 */
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoRefreshToken,
  CognitoUserPool,
  type CognitoUserSession,
  type IAuthenticationCallback,
  type ISignUpResult,
} from "amazon-cognito-identity-js";
import type { AuthConfig } from "./config.ts";
import { AuthError, toAuthError, type AuthOperation } from "./errors.ts";
import { hostedLogoutUrl } from "./hosted.ts";
import { keyPrefix, storageFor, sweepTokens, type TokenStorage } from "./storage.ts";
import { sessionUser, withAttributes, type SessionUser } from "./tokens.ts";

export type MfaType = "SOFTWARE_TOKEN_MFA" | "SMS_MFA";

export type SignInResult =
  | { readonly kind: "signed-in" }
  | { readonly kind: "new-password-required"; readonly requiredAttributes: readonly string[] }
  | { readonly kind: "mfa"; readonly type: MfaType; readonly destination?: string }
  | { readonly kind: "select-mfa"; readonly options: readonly MfaType[] }
  | { readonly kind: "mfa-setup" };

export interface SignUpInput {
  readonly username: string;
  readonly password: string;
  /** Standard and `custom:` attributes, by their Cognito name. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface SignUpResult {
  readonly userConfirmed: boolean;
  /** Where the confirmation code went (masked by Cognito), if it said. */
  readonly destination?: string;
}

/** The second factors the signed-in user has turned on, and the one Cognito asks for first. */
export interface MfaState {
  readonly enabled: readonly MfaType[];
  readonly preferred?: MfaType;
}

export interface CodeDelivery {
  readonly destination?: string;
}

export interface AuthClientOptions {
  /** Token storage; default: the one `config.storage` names. */
  readonly storage?: TokenStorage;
  /** Called whenever the session changes: a user after sign-in/restore/refresh, null after sign-out. */
  readonly onSession?: (user: SessionUser | null) => void;
}

// Present in the SDK at runtime (6.x) but missing from its index.d.ts.
type RevocableUser = CognitoUser & { revokeTokens(callback: (error?: unknown) => void): void };
type DriftingSession = CognitoUserSession & { getClockDrift(): number };
type CachingUser = CognitoUser & { clearCachedUserData(): void };
type MfaSettings = { PreferredMfa: boolean; Enabled: boolean };

const MFA_TYPES: readonly MfaType[] = ["SOFTWARE_TOKEN_MFA", "SMS_MFA"];

function parseMfaOptions(raw: unknown): MfaType[] {
  try {
    const list: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
    return Array.isArray(list) ? MFA_TYPES.filter((type) => list.includes(type)) : [];
  } catch {
    return [];
  }
}

// The SDK's callbacks, as promises. Without `map` they resolve to nothing (never the SDK's "SUCCESS").
type Mapper<T, R> = ((value: T) => R) | undefined;

/** An SDK call taking a Node-style callback; with `required`, no result fails too. */
function settle<T, R = void>(start: (done: (error: any, result?: any) => void) => void, map?: Mapper<T, R>, required = false, operation?: AuthOperation): Promise<R> {
  return new Promise((resolve, reject) =>
    start((error, result) => (error || (required && !result) ? reject(toAuthError(error, operation)) : resolve(map?.(result) as R))),
  );
}

/** An SDK call taking `onSuccess`/`onFailure` handlers. */
function handled<T, R = void>(start: (onSuccess: (value: any) => void, onFailure: (error: unknown) => void) => void, map?: Mapper<T, R>): Promise<R> {
  return new Promise((resolve, reject) => start((value) => resolve(map?.(value) as R), (error) => reject(toAuthError(error))));
}

type Delivered = { CodeDeliveryDetails?: { Destination?: string } } | undefined;

function delivery(result: Delivered): CodeDelivery {
  const destination = result?.CodeDeliveryDetails?.Destination;
  return destination ? { destination } : {};
}

function destinationOf(parameters: unknown): string | undefined {
  const value = (parameters as { CODE_DELIVERY_DESTINATION?: unknown } | undefined)?.CODE_DELIVERY_DESTINATION;
  return typeof value === "string" ? value : undefined;
}

export class AuthClient {
  readonly config: AuthConfig;
  readonly storage: TokenStorage;
  readonly #pool: CognitoUserPool;
  readonly #onSession: (user: SessionUser | null) => void;
  /** The user in the middle of a challenge (new password, MFA). */
  #pending: CognitoUser | undefined;
  /** The signed-in user, once known. */
  #current: CognitoUser | undefined;
  #refreshing: Promise<SessionUser | null> | undefined;
  /**
   * GetUser's attributes for `#current`: the ID token carries only some of them (cognito-local:
   * email and custom ones), so every published SessionUser is completed with these.
   */
  #fetched: { readonly username: string; values: Record<string, string> } | undefined;
  /** Bumped by every sign-in and sign-out, so a slower restore cannot overwrite them. */
  #generation = 0;
  /** The GetUser in flight, shared by concurrent reads of the same session; a write drops it. */
  #reading: { readonly generation: number; readonly values: Promise<Record<string, string>> } | undefined;

  constructor(config: AuthConfig, options: AuthClientOptions = {}) {
    this.config = config;
    this.storage = options.storage ?? storageFor(config.storage);
    this.#onSession = options.onSession ?? (() => {});
    this.#pool = new CognitoUserPool({
      UserPoolId: config.poolId,
      ClientId: config.clientId,
      endpoint: config.endpoint ?? `https://cognito-idp.${config.region}.amazonaws.com/`,
      Storage: this.storage,
    });
  }

  #user(username: string): CognitoUser {
    return new CognitoUser({ Username: username, Pool: this.#pool, Storage: this.storage });
  }

  signUp({ username, password, attributes = {} }: SignUpInput): Promise<SignUpResult> {
    const list = Object.entries(attributes).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }));
    return settle(
      (done) => this.#pool.signUp(username, password, list, [], done),
      (result: ISignUpResult) => {
        const destination = result.codeDeliveryDetails?.Destination;
        return { userConfirmed: result.userConfirmed, ...(destination ? { destination } : {}) };
      },
      true,
    );
  }

  confirmSignUp(username: string, code: string): Promise<void> {
    return settle((done) => this.#user(username).confirmRegistration(code, false, done));
  }

  resendCode(username: string): Promise<CodeDelivery> {
    return settle((done) => this.#user(username).resendConfirmationCode(done), delivery);
  }

  signIn(username: string, password: string): Promise<SignInResult> {
    const user = this.#user(username);
    user.setAuthenticationFlowType(this.config.authFlow);
    this.#pending = undefined;
    return new Promise((resolve, reject) => {
      user.authenticateUser(
        new AuthenticationDetails({ Username: username, Password: password }),
        this.#callbacks(user, resolve, reject, "sign-in"),
      );
    });
  }

  /** Answers NEW_PASSWORD_REQUIRED; `attributes` fills the ones the challenge listed as required. */
  completeNewPassword(newPassword: string, attributes: Readonly<Record<string, string>> = {}): Promise<SignInResult> {
    const user = this.#challenged();
    return new Promise((resolve, reject) => {
      user.completeNewPasswordChallenge(newPassword, { ...attributes }, this.#callbacks(user, resolve, reject, "other"));
    });
  }

  /** Answers SMS_MFA or SOFTWARE_TOKEN_MFA. */
  sendMfaCode(code: string, type: MfaType): Promise<SignInResult> {
    const user = this.#challenged();
    return new Promise((resolve, reject) => {
      user.sendMFACode(code, this.#callbacks(user, resolve, reject, "other"), type);
    });
  }

  /** Answers SELECT_MFA_TYPE; resolves with the `mfa` step for the chosen type. */
  selectMfa(type: MfaType): Promise<SignInResult> {
    const user = this.#challenged();
    return new Promise((resolve, reject) => {
      user.sendMFASelectionAnswer(type, this.#callbacks(user, resolve, reject, "other"));
    });
  }

  /** MFA_SETUP: starts TOTP association and resolves with the secret to show the user. */
  setupTotp(): Promise<{ readonly secret: string }> {
    return this.#associate(this.#challenged());
  }

  #associate(user: CognitoUser): Promise<{ readonly secret: string }> {
    return handled((associateSecretCode, onFailure) => user.associateSoftwareToken({ associateSecretCode, onFailure }), (secret: string) => ({ secret }));
  }

  /** MFA_SETUP: verifies the first TOTP code, which completes the sign-in. */
  verifyTotp(code: string): Promise<SignInResult> {
    const user = this.#challenged();
    return handled(
      (onSuccess, onFailure) => user.verifySoftwareToken(code, "cognito-elements", { onSuccess, onFailure }),
      (session: CognitoUserSession) => this.#adopt(user, session),
    );
  }

  /** The signed-in user's MFA settings (GetUser). */
  async getMfa(): Promise<MfaState> {
    const user = (await this.#signedIn()) as CachingUser;
    // getUserData answers from a storage cache when it has one; this must be what Cognito says now.
    user.clearCachedUserData();
    const data = await settle((done) => user.getUserData(done), (result: { UserMFASettingList?: unknown; PreferredMfaSetting?: unknown; MFAOptions?: unknown }) => result, true);
    // Users given SMS MFA through the legacy SetUserSettings have MFAOptions and no settings list.
    const legacySms = Array.isArray(data.MFAOptions) && data.MFAOptions.length > 0 ? ["SMS_MFA"] : [];
    const enabled = parseMfaOptions(Array.isArray(data.UserMFASettingList) ? data.UserMFASettingList : legacySms);
    const preferred = enabled.find((type) => type === data.PreferredMfaSetting);
    return preferred ? { enabled, preferred } : { enabled };
  }

  /** Profile TOTP setup, step 1: a new secret for the signed-in user (AssociateSoftwareToken). */
  async associateTotp(): Promise<{ readonly secret: string }> {
    return this.#associate(await this.#signedIn());
  }

  /** Profile TOTP setup, step 2: checks the app's first code, then makes TOTP the preferred MFA. */
  async enableTotp(code: string): Promise<void> {
    const user = await this.#signedIn();
    await handled((onSuccess, onFailure) => user.verifySoftwareToken(code, "cognito-elements", { onSuccess, onFailure }));
    await this.#setMfaPreference(user, null, { Enabled: true, PreferredMfa: true });
  }

  /** Turns every second factor off (fails where the pool requires MFA). */
  async disableMfa(): Promise<void> {
    const off = { Enabled: false, PreferredMfa: false };
    await this.#setMfaPreference(await this.#signedIn(), off, off);
  }

  #setMfaPreference(user: CognitoUser, sms: MfaSettings | null, totp: MfaSettings | null): Promise<void> {
    return settle((done) => user.setUserMfaPreference(sms, totp, done));
  }

  /** Sends a password-reset code. */
  forgotPassword(username: string): Promise<CodeDelivery> {
    return handled((onSuccess, onFailure) => this.#user(username).forgotPassword({ onSuccess, onFailure }), delivery);
  }

  /** Sets a new password with the code from `forgotPassword`. */
  confirmPassword(username: string, code: string, newPassword: string): Promise<void> {
    return handled((onSuccess, onFailure) => this.#user(username).confirmPassword(code, newPassword, { onSuccess, onFailure }));
  }

  /**
   * The signed-in user's attributes from Cognito (GetUser), by name; the store's snapshot gets them too.
   * Concurrent calls (the client after sign-in, <cognito-profile>) share one request.
   */
  getAttributes(): Promise<Record<string, string>> {
    const generation = this.#generation;
    if (this.#reading?.generation === generation) return this.#reading.values;
    const values = this.#readAttributes().finally(() => {
      if (this.#reading?.values === values) this.#reading = undefined;
    });
    this.#reading = { generation, values };
    return values;
  }

  async #readAttributes(): Promise<Record<string, string>> {
    const user = await this.#signedIn();
    const values = await settle(
      (done) => user.getUserAttributes(done),
      (list: CognitoUserAttribute[]): Record<string, string> => Object.fromEntries(list.map((attribute) => [attribute.getName(), attribute.getValue()])),
      true,
    );
    const session = user.getSignInUserSession();
    if (session && this.#current === user) {
      this.#fetched = { username: sessionUser(session).username, values };
      this.#publish(session);
    }
    return values;
  }

  /** Updates attributes; resolves with the ones Cognito sent a verification code for. */
  updateAttributes(changes: Readonly<Record<string, string>>): Promise<string[]> {
    return this.#write(async () => {
      const user = await this.#signedIn();
      const list = Object.entries(changes).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }));
      return new Promise((resolve, reject) => {
        user.updateAttributes(list, (error, _result, details?: { CodeDeliveryDetailsList?: Array<{ AttributeName?: string }> }) => {
          if (error) return reject(toAuthError(error));
          // The SDK has refreshed the tokens already; GetUser's values stay the source of attributes.
          const session = user.getSignInUserSession();
          if (session && this.#current === user) {
            if (this.#fetched) this.#fetched.values = { ...this.#fetched.values, ...changes };
            this.#publish(session);
          }
          resolve((details?.CodeDeliveryDetailsList ?? []).map((item) => item.AttributeName ?? "").filter(Boolean));
        });
      });
    });
  }

  /** Sends (again) the code that verifies an email or phone number. */
  async sendAttributeCode(name: string): Promise<void> {
    const user = await this.#signedIn();
    return handled((onSuccess, onFailure) => user.getAttributeVerificationCode(name, { onSuccess, inputVerificationCode: onSuccess, onFailure }));
  }

  verifyAttribute(name: string, code: string): Promise<void> {
    return this.#write(async () => {
      const user = await this.#signedIn();
      return handled((onSuccess, onFailure) => user.verifyAttribute(name, code, { onSuccess, onFailure }));
    });
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
    const user = await this.#signedIn();
    return settle((done) => user.changePassword(oldPassword, newPassword, done), undefined, false, "sign-in");
  }

  /** Signs out on every device (GlobalSignOut), then clears this one. */
  async signOutEverywhere(): Promise<void> {
    const user = await this.#signedIn();
    await handled((onSuccess, onFailure) => user.globalSignOut({ onSuccess, onFailure }));
    await this.signOut();
  }

  /** Deletes the signed-in user's account, then clears every token. */
  async deleteAccount(): Promise<void> {
    const user = await this.#signedIn();
    await settle((done) => user.deleteUser(done));
    await this.signOut();
  }

  /** The current user with a valid session (refreshed if needed). */
  async #signedIn(): Promise<CognitoUser> {
    await this.accessToken(0);
    return this.#current!;
  }

  /**
   * Removes every token this client stored, at once, then asks Cognito to revoke the refresh token
   * in the background (a dead network must not keep the user signed in here).
   */
  async signOut(): Promise<void> {
    this.#generation++;
    const user = this.#current ?? this.#pool.getCurrentUser() ?? undefined;
    if (user?.getSignInUserSession()) (user as RevocableUser).revokeTokens(() => {});
    const logout = hostedLogoutUrl(this);
    user?.signOut();
    sweepTokens(this.storage, this.config.clientId);
    this.#fetched = undefined;
    this.#pending = undefined;
    this.#clearSession();
    // A hosted UI sign-in also ends the hosted UI's session, or its cookie signs the next person in.
    if (logout) location.assign(logout);
  }

  /** Reads the session the SDK stored (refreshing it if expired). Null when there is none. */
  restore(): Promise<SessionUser | null> {
    const generation = ++this.#generation;
    const user = this.#pool.getCurrentUser();
    if (!user) {
      this.#clearSession();
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      user.getSession((error: Error | null, session: CognitoUserSession | null) => {
        if (generation !== this.#generation) return resolve(this.#current ? this.#snapshotOf(this.#current) : null);
        if (error || !session?.isValid()) {
          this.#clearSession();
          return resolve(null);
        }
        this.#current = user;
        resolve(this.#publish(session));
        this.#completeAttributes();
      });
    });
  }

  /** Exchanges the refresh token for new tokens; concurrent calls share one request. */
  refresh(): Promise<SessionUser | null> {
    this.#refreshing ??= this.#refreshOnce().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /**
   * The current access token, refreshed first when it expires within `minValiditySeconds`.
   * Rejects with AuthError `not_signed_in` when there is no session.
   */
  async accessToken(minValiditySeconds = 60): Promise<string> {
    if (!this.#current) await this.restore();
    let session = this.#current?.getSignInUserSession();
    if (!session) throw new AuthError("not_signed_in");
    // The SDK's drift is local clock − server clock (CognitoUserSession.calculateClockDrift), and it
    // judges `localNow − drift < exp`: what is left is exp − (localNow − drift).
    const remaining = session.getAccessToken().getExpiration() - (Date.now() / 1000 - (session as DriftingSession).getClockDrift());
    if (remaining < minValiditySeconds) {
      await this.refresh();
      session = this.#current?.getSignInUserSession();
      if (!session) throw new AuthError("not_signed_in");
    }
    return session.getAccessToken().getJwtToken();
  }

  async #refreshOnce(): Promise<SessionUser | null> {
    const user = this.#current ?? this.#pool.getCurrentUser() ?? undefined;
    if (!user) throw new AuthError("not_signed_in");
    const stored = this.storage.getItem(`${keyPrefix(this.config.clientId)}${user.getUsername()}.refreshToken`);
    const refreshToken =
      user.getSignInUserSession()?.getRefreshToken() ?? (stored ? new CognitoRefreshToken({ RefreshToken: stored }) : undefined);
    if (!refreshToken?.getToken()) throw new AuthError("not_signed_in");
    return new Promise((resolve, reject) => {
      user.refreshSession(refreshToken, (error: unknown, session: CognitoUserSession | null) => {
        if (error || !session) {
          const failure = toAuthError(error);
          // The SDK already dropped tokens Cognito refused; mirror that in the state.
          if (failure.code === "not_authorized") {
            this.#clearSession();
            return reject(new AuthError("not_signed_in", failure.exception));
          }
          return reject(failure);
        }
        this.#current = user;
        resolve(this.#publish(session));
      });
    });
  }

  #challenged(): CognitoUser {
    if (!this.#pending) throw new AuthError("not_signed_in");
    return this.#pending;
  }

  #adopt(user: CognitoUser, session: CognitoUserSession): SignInResult {
    this.#generation++;
    this.#pending = undefined;
    this.#current = user;
    this.#publish(session);
    this.#completeAttributes();
    return { kind: "signed-in" };
  }

  /** Who is signed in: the tokens' claims, completed by GetUser's attributes for the same user. */
  #userOf(session: CognitoUserSession): SessionUser {
    const found = sessionUser(session);
    return this.#fetched?.username === found.username ? withAttributes(found, this.#fetched.values) : found;
  }

  /** No one is signed in here any more. */
  #clearSession(): void {
    this.#current = undefined;
    this.#onSession(null);
  }

  #publish(session: CognitoUserSession): SessionUser {
    const user = this.#userOf(session);
    this.#onSession(user);
    return user;
  }

  /** After sign-in or restore: one GetUser; until it answers (or if it fails) the ID token's attributes show. */
  #completeAttributes(): void {
    void this.getAttributes().catch(() => {});
  }

  #snapshotOf(user: CognitoUser): SessionUser | null {
    const session = user.getSignInUserSession();
    return session ? this.#userOf(session) : null;
  }

  /** Every callback the SDK may call during sign-in, each settling the promise once. */
  #callbacks(
    user: CognitoUser,
    resolve: (result: SignInResult) => void,
    reject: (error: AuthError) => void,
    operation: AuthOperation,
  ): IAuthenticationCallback {
    const challenge = (result: SignInResult) => {
      this.#pending = user;
      resolve(result);
    };
    return {
      onSuccess: (session) => resolve(this.#adopt(user, session)),
      onFailure: (error) => reject(toAuthError(error, operation)),
      newPasswordRequired: (_userAttributes, requiredAttributes) =>
        challenge({
          kind: "new-password-required",
          requiredAttributes: Array.isArray(requiredAttributes) ? requiredAttributes.map(String) : [],
        }),
      mfaRequired: (_name, parameters) => {
        const destination = destinationOf(parameters);
        challenge({ kind: "mfa", type: "SMS_MFA", ...(destination ? { destination } : {}) });
      },
      totpRequired: () => challenge({ kind: "mfa", type: "SOFTWARE_TOKEN_MFA" }),
      selectMFAType: (_name, parameters) =>
        challenge({ kind: "select-mfa", options: parseMfaOptions((parameters as { MFAS_CAN_CHOOSE?: unknown })?.MFAS_CAN_CHOOSE) }),
      mfaSetup: () => challenge({ kind: "mfa-setup" }),
      // CUSTOM_AUTH (Lambda-defined challenges) has no generic form; refuse it clearly.
      customChallenge: () => reject(new AuthError("unsupported", "CUSTOM_CHALLENGE")),
    };
  }
}
