/**
 * The events elements fire, each an Event subclass with a typed, frozen `detail`. They bubble and
 * cross shadow roots (`composed`). No detail ever carries a password, a code or a token.
 */

export type NavigateTarget = "sign-in" | "sign-up" | "reset-password";

export interface SignedInDetail {
  /** Cognito's username (in pools that sign in by email or phone, the user's `sub`). */
  readonly username: string;
  /** What the user signed in with: their email or phone number in such pools, else the username. */
  readonly loginId: string;
}
export interface SignedUpDetail {
  readonly username: string;
  /** False when a confirmation code was sent. */
  readonly userConfirmed: boolean;
  /** Where Cognito sent the code (masked), if it said. */
  readonly destination?: string;
}
export interface ConfirmedDetail {
  readonly username: string;
}
export interface NavigateDetail {
  readonly to: NavigateTarget;
  /** What the user typed as username, to prefill the next form. */
  readonly username?: string;
}
export interface ErrorDetail {
  /** A stable AuthErrorCode (`invalid_credentials`, `network` …). */
  readonly code: string;
}

const INIT = { bubbles: true, composed: true } as const;

export class CognitoSignedInEvent extends Event {
  readonly detail: SignedInDetail;
  constructor(detail: SignedInDetail) {
    super("cognito-signed-in", INIT);
    this.detail = Object.freeze({ username: detail.username, loginId: detail.loginId });
  }
}

export interface SignedOutDetail {
  /** `sign-out` (this device), `everywhere` (GlobalSignOut) or `account-deleted`. */
  readonly reason: "sign-out" | "everywhere" | "account-deleted";
}

export class CognitoSignedOutEvent extends Event {
  readonly detail: SignedOutDetail;
  constructor(detail: SignedOutDetail = { reason: "sign-out" }) {
    super("cognito-signed-out", INIT);
    this.detail = Object.freeze({ reason: detail.reason });
  }
}

export interface PasswordResetDetail {
  readonly username: string;
}

export class CognitoPasswordResetEvent extends Event {
  readonly detail: PasswordResetDetail;
  constructor(detail: PasswordResetDetail) {
    super("cognito-password-reset", INIT);
    this.detail = Object.freeze({ username: detail.username });
  }
}

export interface ProfileUpdatedDetail {
  /** Names of what changed: attribute names, `<name>_verified`, or `password` (never a value). */
  readonly changed: readonly string[];
}

export class CognitoProfileUpdatedEvent extends Event {
  readonly detail: ProfileUpdatedDetail;
  constructor(detail: ProfileUpdatedDetail) {
    super("cognito-profile-updated", INIT);
    this.detail = Object.freeze({ changed: Object.freeze([...detail.changed]) });
  }
}

export class CognitoSignedUpEvent extends Event {
  readonly detail: SignedUpDetail;
  constructor(detail: SignedUpDetail) {
    super("cognito-signed-up", INIT);
    this.detail = Object.freeze({
      username: detail.username,
      userConfirmed: detail.userConfirmed,
      ...(detail.destination ? { destination: detail.destination } : {}),
    });
  }
}

export class CognitoConfirmedEvent extends Event {
  readonly detail: ConfirmedDetail;
  constructor(detail: ConfirmedDetail) {
    super("cognito-confirmed", INIT);
    this.detail = Object.freeze({ username: detail.username });
  }
}

/** Cancel it (`preventDefault()`) to route yourself instead of following the link's href. */
export class CognitoNavigateEvent extends Event {
  readonly detail: NavigateDetail;
  constructor(detail: NavigateDetail) {
    super("cognito-navigate", { ...INIT, cancelable: true });
    this.detail = Object.freeze({ to: detail.to, ...(detail.username ? { username: detail.username } : {}) });
  }
}

export class CognitoErrorEvent extends Event {
  readonly detail: ErrorDetail;
  constructor(detail: ErrorDetail) {
    super("cognito-error", INIT);
    this.detail = Object.freeze({ code: detail.code });
  }
}

/** Every event the elements fire, by name; window, document and every element know them. */
export interface CognitoEventMap {
  "cognito-signed-in": CognitoSignedInEvent;
  "cognito-signed-out": CognitoSignedOutEvent;
  "cognito-signed-up": CognitoSignedUpEvent;
  "cognito-confirmed": CognitoConfirmedEvent;
  "cognito-navigate": CognitoNavigateEvent;
  "cognito-error": CognitoErrorEvent;
  "cognito-password-reset": CognitoPasswordResetEvent;
  "cognito-profile-updated": CognitoProfileUpdatedEvent;
}

// They bubble and are composed, so listeners on document and window (delegation) see them too.
declare global {
  interface HTMLElementEventMap extends CognitoEventMap {}
  interface DocumentEventMap extends CognitoEventMap {}
  interface WindowEventMap extends CognitoEventMap {}
}
