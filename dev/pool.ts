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

export type Call = <T = any>(target: string, body: unknown) => Promise<T>;

/** Where a server's tokens say they come from, and how it names users in an email-as-username pool. */
export interface PoolServer {
  issuer(poolId: string): string;
  jwksUri(poolId: string): string;
  /** Default usernames are email addresses in an email-as-username pool (moto needs them; cognito-local takes either). */
  emailUsernames?: boolean;
}

let userCounter = 0;

/** A pool, an app client and the admin calls tests need, through `call` (either server's JSON API). */
export async function createTestPool(call: Call, poolOptions: PoolOptions, server: PoolServer): Promise<TestPool> {
  const { UserPool } = await call<any>("CreateUserPool", {
    PoolName: `test-${Date.now()}`,
    ...(poolOptions.usernameAttributes ? { UsernameAttributes: poolOptions.usernameAttributes } : {}),
    MfaConfiguration: poolOptions.mfa ?? "OFF",
    ...poolOptions.pool,
  });
  const poolId: string = UserPool.Id;
  const issuer = server.issuer(poolId);
  const emailIsUsername = (server.emailUsernames ?? false) && (poolOptions.usernameAttributes?.includes("email") ?? false);
  const validity = poolOptions.accessTokenValiditySeconds ?? 3600;

  async function createClient(extra: Record<string, unknown> = {}): Promise<string> {
    const { UserPoolClient } = await call<any>("CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: `client-${Date.now()}`,
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
      AccessTokenValidity: validity,
      IdTokenValidity: validity,
      RefreshTokenValidity: 1,
      TokenValidityUnits: { AccessToken: "seconds", IdToken: "seconds", RefreshToken: "days" },
      ...poolOptions.client,
      ...extra,
    });
    return UserPoolClient.ClientId;
  }

  const clientId = await createClient();

  async function signIn(username: string, password: string): Promise<Tokens> {
    const result = await call<any>("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
    const auth = result.AuthenticationResult;
    if (!auth) throw new Error(`sign-in returned challenge ${result.ChallengeName}`);
    return { accessToken: auth.AccessToken, idToken: auth.IdToken, refreshToken: auth.RefreshToken };
  }

  async function getUser(username: string): Promise<any | undefined> {
    try {
      return await call<any>("AdminGetUser", { UserPoolId: poolId, Username: username });
    } catch (error) {
      if ((error as { code?: unknown }).code === "UserNotFoundException") return undefined;
      throw error;
    }
  }

  async function addToGroup(username: string, group: string): Promise<void> {
    await call("AdminAddUserToGroup", { UserPoolId: poolId, Username: username, GroupName: group });
  }

  const groups = new Set<string>();
  async function createGroup(name: string): Promise<void> {
    if (groups.has(name)) return;
    await call("CreateGroup", { UserPoolId: poolId, GroupName: name });
    groups.add(name);
  }

  async function createUser(userOptions: UserOptions = {}): Promise<TestUser> {
    const fresh = `user${++userCounter}-${Date.now()}`;
    const username = userOptions.username ?? (emailIsUsername ? `${fresh}@example.com` : fresh);
    const password = userOptions.password ?? DEFAULT_PASSWORD;
    const email = username.includes("@") ? username : `${username}@example.com`;
    const attributes = { email, email_verified: "true", ...userOptions.attributes };
    const created = await call<any>("AdminCreateUser", {
      UserPoolId: poolId,
      Username: username,
      TemporaryPassword: password,
      MessageAction: "SUPPRESS",
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    });
    if (!userOptions.temporary) {
      await call("AdminSetUserPassword", { UserPoolId: poolId, Username: username, Password: password, Permanent: true });
    }
    for (const group of userOptions.groups ?? []) {
      await createGroup(group);
      await addToGroup(username, group);
    }
    const sub = created.User.Attributes.find((a: any) => a.Name === "sub").Value;
    return { username, password, sub };
  }

  return {
    poolId,
    clientId,
    issuer,
    jwksUri: server.jwksUri(poolId),
    createGroup,
    createUser,
    addToGroup,
    signIn,
    createClient,
    getUser,
  };
}
