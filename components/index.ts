/**
 * cognito-elements: importing this module registers every element. Safe to import on a server
 * (no `window`): nothing touches the DOM until an element connects.
 */
import { CognitoAuthGate } from "./elements/cognito-auth-gate.ts";
import { CognitoConfig } from "./elements/cognito-config.ts";
import { CognitoLogin } from "./elements/cognito-login.ts";
import { CognitoProfile } from "./elements/cognito-profile.ts";
import { CognitoResetPassword } from "./elements/cognito-reset-password.ts";
import { CognitoSignOut } from "./elements/cognito-sign-out.ts";
import { CognitoSignup } from "./elements/cognito-signup.ts";
import "./elements/hosted-events.ts";

const ELEMENTS: ReadonlyArray<readonly [string, CustomElementConstructor]> = [
  ["cognito-config", CognitoConfig],
  ["cognito-login", CognitoLogin],
  ["cognito-signup", CognitoSignup],
  ["cognito-sign-out", CognitoSignOut],
  ["cognito-reset-password", CognitoResetPassword],
  ["cognito-profile", CognitoProfile],
  ["cognito-auth-gate", CognitoAuthGate],
];

if (typeof customElements !== "undefined") {
  for (const [tag, element] of ELEMENTS) {
    if (!customElements.get(tag)) customElements.define(tag, element);
  }
}

export { configure, authStore, AuthStore, completeHostedSignIn, startHostedSignIn } from "./auth/store.ts";
export type { AuthSnapshot, ConfigState } from "./auth/store.ts";
export { AuthClient } from "./auth/client.ts";
export type { SignInResult, SignUpInput, SignUpResult, CodeDelivery, Factor, MfaState, MfaType, OtpType, Passkey } from "./auth/client.ts";
export { ConfigError, parseConfig } from "./auth/config.ts";
export type { AuthOptions, AuthConfig, AuthFlow, StorageKind } from "./auth/config.ts";
export { AuthError } from "./auth/errors.ts";
export { authFetch } from "./auth/fetch.ts";
export type { AuthErrorCode } from "./auth/errors.ts";
export { en, localeOf, messages, onMessagesChange, registerLocale, setLocale, setMessages } from "./i18n/messages.ts";
export type { MessageOverrides, Messages, PasswordRule } from "./i18n/messages.ts";
export { MemoryStorage } from "./auth/storage.ts";
export type { SessionUser } from "./auth/tokens.ts";
export * from "./elements/events.ts";
export { CognitoAuthGate, CognitoConfig, CognitoLogin, CognitoProfile, CognitoResetPassword, CognitoSignOut, CognitoSignup };
