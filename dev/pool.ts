/**
 * The shapes every local Cognito here hands out (dev/cognito-local.ts, dev/moto.ts), so one test,
 * the demo or a bench can run against either server.
 */

export const DEFAULT_PASSWORD = "Passw0rd!Test";

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export interface TestUser {
  username: string;
  password: string;
  sub: string;
}

export interface PoolOptions {
  /** Access and ID token lifetime in seconds (default one hour); moto stores it but its tokens last an hour. */
  accessTokenValiditySeconds?: number;
  /** Pool-level username attributes: `["email"]` for email-as-username, `[]` for plain usernames. */
  usernameAttributes?: string[];
  mfa?: "OFF" | "OPTIONAL" | "ON";
  /** Extra CreateUserPool fields (AutoVerifiedAttributes, Policies …). */
  pool?: Record<string, unknown>;
  /** Extra CreateUserPoolClient fields (CallbackURLs, AllowedOAuthFlows …). */
  client?: Record<string, unknown>;
}

export interface UserOptions {
  /** Default: a fresh name (on moto, a fresh address in an email-as-username pool). */
  username?: string;
  password?: string;
  attributes?: Record<string, string>;
  groups?: string[];
  /** Leave the user in FORCE_CHANGE_PASSWORD (admin-created with a temporary password). */
  temporary?: boolean;
}

export interface TestPool {
  readonly poolId: string;
  readonly clientId: string;
  /** `iss` of this pool's tokens. */
  readonly issuer: string;
  readonly jwksUri: string;
  createGroup(name: string): Promise<void>;
  createUser(options?: UserOptions): Promise<TestUser>;
  addToGroup(username: string, group: string): Promise<void>;
  signIn(username: string, password: string): Promise<Tokens>;
  /** Another app client on the same pool. */
  createClient(extra?: Record<string, unknown>): Promise<string>;
  getUser(username: string): Promise<any | undefined>;
}
