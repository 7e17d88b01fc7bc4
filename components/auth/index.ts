/**
 * cognito-elements/auth: the auth core without the elements (no lit, no custom elements), for a
 * page or framework that draws its own forms. One module per concern behind it; each is also
 * importable alone as `cognito-elements/auth/<name>`.
 */
export { AuthStore, authStore, configure } from "./store.ts";
export type { AuthSnapshot, ConfigState } from "./store.ts";
export { AuthClient } from "./client.ts";
export type { AuthClientOptions, CodeDelivery, MfaState, MfaType, SignInResult, SignUpInput, SignUpResult } from "./client.ts";
export { ConfigError, parseConfig } from "./config.ts";
export type { AuthConfig, AuthFlow, AuthOptions, ConfigProblem, ConfigSetting, ConfigSource, StorageKind } from "./config.ts";
export { AuthError } from "./errors.ts";
export type { AuthErrorCode, AuthOperation } from "./errors.ts";
export { authFetch } from "./fetch.ts";
export { completeHostedSignIn, hostedStatus, onHostedStatus, startHostedSignIn } from "./hosted.ts";
export type { HostedStatus } from "./hosted.ts";
export { en, localeOf, messages, onMessagesChange, registerLocale, setLocale, setMessages } from "./messages.ts";
export type { MessageOverrides, Messages, PasswordRule } from "./messages.ts";
export { MemoryStorage } from "./storage.ts";
export type { TokenStorage } from "./storage.ts";
export type { SessionUser } from "./tokens.ts";
