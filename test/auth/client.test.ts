/**
 * The Cognito client (components/auth) in Node against both real servers: cognito-local and
 * moto_server. Each case runs on both; where a server cannot serve it, the case says so in its
 * name and asserts what that server does instead:
 * - cognito-local has no USER_SRP_AUTH and no GlobalSignOut;
 * - moto accepts any PASSWORD_CLAIM_SIGNATURE (the wrong-password case is in srp-flow.test.ts)
 *   and has no RevokeToken (it answers 500; the refresh token stays valid);
 * - cognito-local's tokens carry no origin_jti, so the client does not ask it to revoke;
 * - neither has GetTokensFromRefreshToken: the client falls back to REFRESH_TOKEN_AUTH.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthClient, AuthError, MemoryStorage, parseConfig } from "../../components/auth/index.ts";
import type { AuthFlow } from "../../components/auth/config.ts";
import { startMoto } from "../../dev/moto.ts";
import { startCognitoLocal } from "../../dev/cognito-local.ts";

interface Server {
  readonly endpoint: string;
  call<T = any>(target: string, body: unknown): Promise<T>;
  createPool(options?: { usernameAttributes?: string[] }): Promise<{
    poolId: string;
    clientId: string;
    createUser(options?: { username?: string }): Promise<{ username: string; password: string; sub: string }>;
  }>;
  stop(): Promise<void>;
}

const SERVERS: ReadonlyArray<readonly [name: "cognito-local" | "moto", start: () => Promise<Server>]> = [
  ["cognito-local", startCognitoLocal],
  ["moto", startMoto],
];

/** Every X-Amz-Target the client sends while `work` runs (the client uses the global fetch). */
async function targetsOf(work: () => Promise<unknown>): Promise<string[]> {
  const original = globalThis.fetch;
  const targets: string[] = [];
  globalThis.fetch = (input, init) => {
    targets.push(String(new Headers(init?.headers).get("x-amz-target") ?? "").split(".").pop() ?? "");
    return original(input, init);
  };
  try {
    await work();
  } finally {
    globalThis.fetch = original;
  }
  return targets;
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
const prefix = (clientId: string) => `CognitoIdentityServiceProvider.${clientId}.`;

describe.each(SERVERS)("AuthClient against %s", (name, start) => {
  let server: Server;
  let pool: Awaited<ReturnType<Server["createPool"]>>;

  beforeAll(async () => {
    server = await start();
    // moto answers SRP with USER_ID_FOR_SRP = sub; email-as-username pools sign in by email on both.
    pool = await server.createPool();
  });
  afterAll(() => server?.stop());

  function clientFor(authFlow: AuthFlow = "USER_PASSWORD_AUTH", storage = new MemoryStorage()): AuthClient {
    const config = parseConfig({ poolId: pool.poolId, clientId: pool.clientId, endpoint: server.endpoint, authFlow });
    return new AuthClient(config, { storage });
  }

  async function signedIn(): Promise<{ client: AuthClient; storage: MemoryStorage; username: string }> {
    const user = await pool.createUser();
    const storage = new MemoryStorage();
    const client = clientFor("USER_PASSWORD_AUTH", storage);
    expect(await client.signIn(user.username, user.password)).toEqual({ kind: "signed-in" });
    return { client, storage, username: user.username };
  }

  it("signs in with USER_PASSWORD_AUTH and keeps the tokens where amazon-cognito-identity-js keeps them", async () => {
    const { client, storage } = await signedIn();
    const keys = prefix(pool.clientId);
    const last = storage.getItem(`${keys}LastAuthUser`);
    expect(last).toBeTruthy();
    for (const item of ["idToken", "accessToken", "refreshToken", "clockDrift"]) expect(storage.getItem(`${keys}${last}.${item}`), item).toBeTruthy();
    expect(await client.accessToken()).toBe(storage.getItem(`${keys}${last}.accessToken`));
  });

  it("reads a wrong password and an unknown user the same", async () => {
    const user = await pool.createUser();
    const codes = [];
    for (const [username, password] of [[user.username, "Wrong-Passw0rd!"], [`nobody-${Date.now()}`, "Wrong-Passw0rd!"]] as const) {
      codes.push(await clientFor().signIn(username, password).then(() => "signed-in", (error: AuthError) => error.code));
    }
    expect(codes).toEqual(["invalid_credentials", "invalid_credentials"]);
  });

  if (name === "moto") {
    it("signs in with USER_SRP_AUTH, the elements' default (moto does not check the password claim)", async () => {
      const user = await pool.createUser();
      const client = clientFor("USER_SRP_AUTH");
      const targets = await targetsOf(async () => expect(await client.signIn(user.username, user.password)).toEqual({ kind: "signed-in" }));
      // Then GetUser, for the attributes the ID token lacks.
      expect(targets.slice(0, 2)).toEqual(["InitiateAuth", "RespondToAuthChallenge"]);
      expect(await client.accessToken()).toMatch(/^ey/);
    });
  } else {
    it("cannot sign in with USER_SRP_AUTH on cognito-local, which lacks it, and says so without signing in", async () => {
      const user = await pool.createUser();
      const client = clientFor("USER_SRP_AUTH");
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (message: string) => warnings.push(message);
      const failure = await client.signIn(user.username, user.password).catch((error: unknown) => error).finally(() => (console.warn = warn));
      expect(failure).toBeInstanceOf(AuthError);
      expect((failure as AuthError).code).toBe("unsupported");
      expect(warnings.join()).toMatch(/does not support InitiateAuth/);
      expect(warnings.join()).not.toContain(user.password);
      expect(String((failure as AuthError).message)).not.toContain(user.password);
      await expect(client.accessToken()).rejects.toMatchObject({ code: "not_signed_in" });
    });
  }

  it("refreshes with REFRESH_TOKEN_AUTH where GetTokensFromRefreshToken is unknown, and asks only once", async () => {
    const { client, storage } = await signedIn();
    const before = await client.accessToken();
    const first = await targetsOf(() => client.refresh());
    expect(first).toEqual(["GetTokensFromRefreshToken", "InitiateAuth"]);
    const second = await targetsOf(() => client.refresh());
    expect(second, "the fallback is remembered").toEqual(["InitiateAuth"]);
    const after = await client.accessToken();
    expect(after, "a new access token").not.toBe(before);
    expect(storage.getItem(`${prefix(pool.clientId)}${storage.getItem(`${prefix(pool.clientId)}LastAuthUser`)}.accessToken`)).toBe(after);
  });

  it("restores a session another page stored, and signs out by sweeping every key (revoking where the token allows it)", async () => {
    const { storage } = await signedIn();
    const other = clientFor("USER_PASSWORD_AUTH", storage);
    expect((await other.restore())?.username).toBeTruthy();
    const user = storage.getItem(`${prefix(pool.clientId)}LastAuthUser`);
    const access = claimsOf(storage.getItem(`${prefix(pool.clientId)}${user}.accessToken`)!);
    const targets = await targetsOf(() => other.signOut());
    expect(storage.length).toBe(0);
    await expect(other.accessToken()).rejects.toMatchObject({ code: "not_signed_in" });
    // RevokeToken goes out (in the background) only for tokens with origin_jti, as AWS issues them
    // for clients with revocation on: moto's do; cognito-local's do not, so it is not asked.
    expect("origin_jti" in access).toBe(name === "moto");
    expect(targets).toEqual(name === "moto" ? ["RevokeToken"] : []);
  });

  /** Whether Cognito now refuses `refreshToken`. */
  async function revoked(refreshToken: string): Promise<boolean> {
    try {
      await server.call("InitiateAuth", { AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: pool.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } });
      return false;
    } catch {
      return true;
    }
  }

  if (name === "moto") {
    it("signs out everywhere: GlobalSignOut, then the old access and refresh tokens are refused", async () => {
      const { client, storage } = await signedIn();
      const keys = prefix(pool.clientId);
      const user = storage.getItem(`${keys}LastAuthUser`);
      const access = storage.getItem(`${keys}${user}.accessToken`)!;
      const refresh = storage.getItem(`${keys}${user}.refreshToken`)!;
      await client.signOutEverywhere();
      expect(storage.length).toBe(0);
      await expect(server.call("GetUser", { AccessToken: access })).rejects.toMatchObject({ code: "NotAuthorizedException" });
      expect(await revoked(refresh)).toBe(true);
    });
  } else {
    it("cannot sign out everywhere on cognito-local, which lacks GlobalSignOut: the call fails and the session stays", async () => {
      const { client } = await signedIn();
      await expect(client.signOutEverywhere()).rejects.toBeInstanceOf(AuthError);
      expect(await client.accessToken()).toMatch(/^ey/);
    });
  }
});
