/**
 * cognito-elements/auth: the auth core without the elements (no lit, no custom elements, no
 * messages), for a page or framework that draws its own forms. The files behind it are private:
 * import from here.
 */
export { AuthStore, authStore, completeHostedSignIn, configure, startHostedSignIn } from "./store.ts";
export type { AuthSnapshot, ConfigState } from "./store.ts";
export { AuthClient } from "./client.ts";
export type { AuthClientOptions, CodeDelivery, Factor, MfaState, MfaType, OtpType, Passkey, SignInResult, SignUpInput, SignUpResult } from "./client.ts";
export { ConfigError, parseConfig } from "./config.ts";
export type { AuthConfig, AuthFlow, AuthOptions, ConfigProblem, ConfigSetting, ConfigSource, StorageKind } from "./config.ts";
export { AuthError } from "./errors.ts";
export type { AuthErrorCode, AuthOperation } from "./errors.ts";
export { authFetch } from "./fetch.ts";
export { hostedStatus, onHostedStatus } from "./hosted-state.ts";
export type { HostedStatus } from "./hosted-state.ts";
export { MemoryStorage } from "./storage.ts";
export type { TokenStorage } from "./storage.ts";
export type { SessionUser } from "./tokens.ts";
