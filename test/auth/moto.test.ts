/**
 * dev/moto.ts against a real moto_server: the lifecycle, the pool helpers, and what moto does with
 * each operation the client needs, so tests that run a case on both servers know where moto stops.
 */
import { execFileSync, spawn } from "node:child_process";
import { access, readlink } from "node:fs/promises";
import { connect } from "node:net";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOTO_KID, MotoCallError, startMoto, type Moto, type TestPool, type TestUser } from "../../dev/moto.ts";

const START_TIMEOUT = 30_000;

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

/** Live processes (sh watchdog, moto_server) whose command line names this port. */
function processesOn(port: number): string[] {
  return execFileSync("ps", ["-e", "-o", "pid=,stat=,args="])
    .toString()
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, stat, ...args]) => !stat?.startsWith("Z") && args.join(" ").endsWith(`moto_server -H 127.0.0.1 -p ${port}`))
    .map(([pid]) => pid!);
}

async function srpChallenge(moto: Moto, pool: TestPool, username: string): Promise<Record<string, string>> {
  const challenge = await moto.call("InitiateAuth", {
    AuthFlow: "USER_SRP_AUTH",
    ClientId: pool.clientId,
    AuthParameters: { USERNAME: username, SRP_A: "ab".repeat(384) },
  });
  expect(challenge.ChallengeName).toBe("PASSWORD_VERIFIER");
  return challenge.ChallengeParameters;
}

/** A PASSWORD_VERIFIER answer whose signature is not computed from any password. */
function answerVerifier(moto: Moto, pool: TestPool, username: string, secretBlock: string): Promise<any> {
  return moto.call("RespondToAuthChallenge", {
    ClientId: pool.clientId,
    ChallengeName: "PASSWORD_VERIFIER",
    ChallengeResponses: {
      USERNAME: username,
      PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
      PASSWORD_CLAIM_SIGNATURE: "bm90IGEgc2lnbmF0dXJl",
      TIMESTAMP: "Fri Nov 27 12:00:00 UTC 2026",
    },
  });
}

async function failure(promise: Promise<unknown>): Promise<MotoCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MotoCallError);
  return error as MotoCallError;
}

describe("startMoto", () => {
  it("serves on 127.0.0.1 from a temp dir, and stop() ends its processes and removes the dir", async () => {
    const moto = await startMoto();
    expect(moto.endpoint).toBe(`http://127.0.0.1:${moto.port}/`);
    expect((await fetch(`${moto.endpoint}moto-api/config`)).ok).toBe(true);
    const pids = processesOn(moto.port);
    expect(pids.length).toBeGreaterThan(0);
    const dir = await readlink(`/proc/${pids[0]}/cwd`);
    expect(dir).toMatch(/\/moto-[^/]+$/);
    await moto.stop();
    expect(processesOn(moto.port)).toEqual([]);
    expect(await refusesConnections(moto.port)).toBe(true);
    await expect(access(dir)).rejects.toThrow(/ENOENT/);
  }, START_TIMEOUT);

  it("ends moto and removes its dir when the process that started it is killed without stop()", async () => {
    const script = `const { startMoto } = await import(${JSON.stringify(new URL("../../dev/moto.ts", import.meta.url).href)});
      const moto = await startMoto();
      console.log(moto.port);`;
    const starter = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: new URL("../..", import.meta.url),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = Number(
      await new Promise<string>((resolve, reject) => {
        starter.stdout.once("data", (d: Buffer) => resolve(String(d)));
        starter.once("exit", (code) => reject(new Error(`the starter exited (${code}) before printing a port`)));
      }),
    );
    const [pid] = processesOn(port);
    const dir = await readlink(`/proc/${pid}/cwd`);
    starter.kill("SIGKILL");
    await expect.poll(() => processesOn(port), { timeout: 10_000 }).toEqual([]);
    await expect.poll(() => access(dir).then(() => "present", () => "gone"), { timeout: 10_000 }).toBe("gone");
  }, START_TIMEOUT);

  it("fails with a clear error when moto_server is not on PATH", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await expect(startMoto()).rejects.toThrow(/moto_server is not on PATH/);
    } finally {
      process.env.PATH = path;
    }
  });

  it("refuses a port that is taken instead of talking to whoever holds it", async () => {
    const first = await startMoto();
    try {
      await expect(startMoto({ port: first.port })).rejects.toThrow(`127.0.0.1:${first.port} is in use`);
    } finally {
      await first.stop();
    }
  }, START_TIMEOUT);
});

describe("moto as a Cognito user pool", () => {
  let moto: Moto;
  let pool: TestPool;
  let user: TestUser;

  beforeAll(async () => {
    moto = await startMoto();
    pool = await moto.createPool();
    user = await pool.createUser({ groups: ["admin"] });
  }, START_TIMEOUT);
  afterAll(() => moto?.stop());

  it("names pools us-east-1_<32 hex> and reports the AWS-form issuer and a loopback key set", () => {
    expect(pool.poolId).toMatch(/^us-east-1_[0-9a-f]{32}$/);
    expect(pool.issuer).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${pool.poolId}`);
    expect(pool.jwksUri).toBe(`http://127.0.0.1:${moto.port}/${pool.poolId}/.well-known/jwks.json`);
  });

  it("confirms an admin-created user through AdminSetUserPassword Permanent", async () => {
    const stored = await pool.getUser(user.username);
    expect(stored.UserStatus).toBe("CONFIRMED");
    expect(stored.UserAttributes).toContainEqual({ Name: "sub", Value: user.sub });
    expect(await pool.getUser("nobody")).toBeUndefined();
  });

  it("leaves a temporary user in FORCE_CHANGE_PASSWORD, so sign-in meets NEW_PASSWORD_REQUIRED", async () => {
    const temporary = await pool.createUser({ temporary: true });
    expect((await pool.getUser(temporary.username)).UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    await expect(pool.signIn(temporary.username, temporary.password)).rejects.toThrow(/NEW_PASSWORD_REQUIRED/);
  });

  it("signs in with USER_PASSWORD_AUTH: RS256 tokens whose iss and kid verify against jwksUri", async () => {
    const tokens = await pool.signIn(user.username, user.password);
    expect(decodeProtectedHeader(tokens.accessToken)).toMatchObject({ alg: "RS256", kid: MOTO_KID });
    const keys = createRemoteJWKSet(new URL(pool.jwksUri));
    const { payload: claims } = await jwtVerify(tokens.accessToken, keys, { issuer: pool.issuer, algorithms: ["RS256"] });
    expect(claims).toMatchObject({
      token_use: "access",
      client_id: pool.clientId,
      sub: user.sub,
      username: user.username,
      scope: "aws.cognito.signin.user.admin",
      "cognito:groups": ["admin"],
    });
    expect(claims.origin_jti).toEqual(expect.any(String));
    const { payload: id } = await jwtVerify(tokens.idToken, keys, { issuer: pool.issuer, audience: pool.clientId });
    expect(id).toMatchObject({ token_use: "id", "cognito:username": user.username, "cognito:groups": ["admin"] });
    expect(id.email).toBeUndefined();
  });

  it("puts user attributes in the ID token only for a client that lists them in ReadAttributes", async () => {
    const reader = await pool.createClient({ ReadAttributes: ["email"] });
    const result = await moto.call("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: reader,
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    });
    expect(decodeJwt(result.AuthenticationResult.IdToken).email).toBe(`${user.username}@example.com`);
  });

  it("refuses a wrong password with NotAuthorizedException", async () => {
    const error = await failure(pool.signIn(user.username, "Wr0ng!password"));
    expect(error.status).toBe(400);
    expect(error.code).toBe("NotAuthorizedException");
  });

  it("ignores the client's token validity: every token lasts 3600 s", async () => {
    const short = await moto.createPool({ accessTokenValiditySeconds: 60 });
    const someone = await short.createUser();
    const result = await moto.call("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: short.clientId,
      AuthParameters: { USERNAME: someone.username, PASSWORD: someone.password },
    });
    expect(result.AuthenticationResult.ExpiresIn).toBe(3600);
    const { exp, iat } = decodeJwt(result.AuthenticationResult.AccessToken);
    expect(exp! - iat!).toBe(3600);
  });

  it("with email as username, signs in by email and puts the sub in the access token's username", async () => {
    const byEmail = await moto.createPool({ usernameAttributes: ["email"] });
    const someone = await byEmail.createUser({ groups: ["staff"] });
    expect(someone.username).toMatch(/@example\.com$/);
    const tokens = await byEmail.signIn(someone.username, someone.password);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ username: someone.sub, "cognito:groups": ["staff"] });
    expect(decodeJwt(tokens.idToken)).toMatchObject({ "cognito:username": someone.sub, email: someone.username });
  });

  it("refreshes with REFRESH_TOKEN_AUTH: new access and ID tokens, no new refresh token", async () => {
    const tokens = await pool.signIn(user.username, user.password);
    const result = await moto.call("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: pool.clientId,
      AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
    });
    const fresh = result.AuthenticationResult;
    expect(fresh.AccessToken).not.toBe(tokens.accessToken);
    expect(fresh.IdToken).toEqual(expect.any(String));
    expect(fresh.RefreshToken).toBeUndefined();
    expect(decodeJwt(fresh.AccessToken).origin_jti).toBe(decodeJwt(tokens.accessToken).origin_jti);
  });

  it("after GlobalSignOut, GetUser and REFRESH_TOKEN_AUTH refuse the old tokens with NotAuthorizedException", async () => {
    const other = await pool.createUser();
    const tokens = await pool.signIn(other.username, other.password);
    expect((await moto.call("GetUser", { AccessToken: tokens.accessToken })).Username).toBe(other.username);
    expect(await moto.call("GlobalSignOut", { AccessToken: tokens.accessToken })).toEqual({});

    const getUser = await failure(moto.call("GetUser", { AccessToken: tokens.accessToken }));
    expect([getUser.status, getUser.code, getUser.message]).toEqual([400, "NotAuthorizedException", "GetUser failed: NotAuthorizedException Invalid token"]);
    const refresh = await failure(
      moto.call("InitiateAuth", {
        AuthFlow: "REFRESH_TOKEN_AUTH",
        ClientId: pool.clientId,
        AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
      }),
    );
    expect([refresh.status, refresh.code]).toEqual([400, "NotAuthorizedException"]);
    expect(refresh.message).toContain("Refresh Token has been revoked");
    // The signature still verifies: only a server-side check (GetUser) sees the sign-out.
    await expect(jwtVerify(tokens.accessToken, createRemoteJWKSet(new URL(pool.jwksUri)), { issuer: pool.issuer })).resolves.toBeTruthy();
    // Signing in again still works.
    await expect(pool.signIn(other.username, other.password)).resolves.toHaveProperty("accessToken");
  });

  it("answers RevokeToken with a 500 and no __type, and the refresh token keeps working", async () => {
    const tokens = await pool.signIn(user.username, user.password);
    const error = await failure(moto.call("RevokeToken", { ClientId: pool.clientId, Token: tokens.refreshToken }));
    expect([error.status, error.code]).toEqual([500, undefined]);
    await expect.poll(() => moto.log.join("\n")).toContain("The revoke_token action has not been implemented");
    const result = await moto.call("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: pool.clientId,
      AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
    });
    expect(result.AuthenticationResult.AccessToken).toEqual(expect.any(String));
  });

  it("answers GetTokensFromRefreshToken with a 500 and no __type (not implemented)", async () => {
    const tokens = await pool.signIn(user.username, user.password);
    const error = await failure(moto.call("GetTokensFromRefreshToken", { ClientId: pool.clientId, RefreshToken: tokens.refreshToken }));
    expect([error.status, error.code]).toEqual([500, undefined]);
    await expect.poll(() => moto.log.join("\n")).toContain("The get_tokens_from_refresh_token action has not been implemented");
  });

  it("answers ResendConfirmationCode with a 500 and no __type (not implemented)", async () => {
    const username = `unconfirmed-${Date.now()}`;
    const { UserSub, UserConfirmed } = await moto.call("SignUp", {
      ClientId: pool.clientId,
      Username: username,
      Password: user.password,
      UserAttributes: [{ Name: "email", Value: "unconfirmed@example.com" }],
    });
    expect([typeof UserSub, UserConfirmed]).toEqual(["string", false]);
    const error = await failure(moto.call("ResendConfirmationCode", { ClientId: pool.clientId, Username: username }));
    expect([error.status, error.code]).toEqual([500, undefined]);
    await expect.poll(() => moto.log.join("\n")).toContain("The resend_confirmation_code action has not been implemented");
  });

  it("answers USER_SRP_AUTH with PASSWORD_VERIFIER: random 32-hex SRP_B and SALT, USER_ID_FOR_SRP the sub", async () => {
    const parameters = await srpChallenge(moto, pool, user.username);
    expect(parameters).toMatchObject({ USERNAME: user.username, USER_ID_FOR_SRP: user.sub });
    expect(parameters.SECRET_BLOCK).toEqual(expect.any(String));
    expect(parameters.SRP_B).toMatch(/^[0-9a-f]{32}$/);
    expect(parameters.SALT).toMatch(/^[0-9a-f]{32}$/);
  });

  it("never checks PASSWORD_CLAIM_SIGNATURE: any signature answered with USERNAME signs in", async () => {
    const parameters = await srpChallenge(moto, pool, user.username);
    const answer = await answerVerifier(moto, pool, parameters.USERNAME, parameters.SECRET_BLOCK);
    expect(decodeJwt(answer.AuthenticationResult.AccessToken).sub).toBe(user.sub);
  });

  it("with plain usernames, refuses a PASSWORD_VERIFIER answered with USER_ID_FOR_SRP (as the SDK does): UserNotFoundException", async () => {
    const parameters = await srpChallenge(moto, pool, user.username);
    const error = await failure(answerVerifier(moto, pool, parameters.USER_ID_FOR_SRP, parameters.SECRET_BLOCK));
    expect([error.status, error.code]).toEqual([400, "UserNotFoundException"]);
  });

  it("with email as username, accepts a PASSWORD_VERIFIER answered with USER_ID_FOR_SRP", async () => {
    const byEmail = await moto.createPool({ usernameAttributes: ["email"] });
    const someone = await byEmail.createUser();
    const parameters = await srpChallenge(moto, byEmail, someone.username);
    expect(parameters.USER_ID_FOR_SRP).toBe(someone.sub);
    const answer = await answerVerifier(moto, byEmail, parameters.USER_ID_FOR_SRP, parameters.SECRET_BLOCK);
    expect(decodeJwt(answer.AuthenticationResult.AccessToken).sub).toBe(someone.sub);
  });

  it("refuses USER_AUTH with InvalidParameterException", async () => {
    const error = await failure(
      moto.call("InitiateAuth", { AuthFlow: "USER_AUTH", ClientId: pool.clientId, AuthParameters: { USERNAME: user.username } }),
    );
    expect([error.status, error.code]).toEqual([400, "InvalidParameterException"]);
  });

  it("serves cognito-identity on the same port: GetId and GetCredentialsForIdentity for a pool's ID token", async () => {
    const tokens = await pool.signIn(user.username, user.password);
    const provider = `cognito-idp.us-east-1.amazonaws.com/${pool.poolId}`;
    const { IdentityPoolId } = await moto.callIdentity("CreateIdentityPool", {
      IdentityPoolName: "test",
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: pool.clientId }],
    });
    expect(IdentityPoolId).toMatch(/^us-east-1:/);
    const logins = { [provider]: tokens.idToken };
    const { IdentityId } = await moto.callIdentity("GetId", { IdentityPoolId, Logins: logins });
    expect(IdentityId).toMatch(/^us-east-1:/);
    const { Credentials } = await moto.callIdentity("GetCredentialsForIdentity", { IdentityId, Logins: logins });
    expect(Credentials).toMatchObject({ AccessKeyId: expect.any(String), SecretKey: expect.any(String), SessionToken: expect.any(String) });
  });
});

