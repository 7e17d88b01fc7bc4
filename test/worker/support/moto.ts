/**
 * A real second Cognito for the revocation tests: moto_server on a free 127.0.0.1 port, started
 * from a temp dir and stopped by its PID. It implements GlobalSignOut, after which its GetUser
 * refuses every access token of that user with `NotAuthorizedException` ("Invalid token"). It
 * answers RevokeToken with a 500, so a revoked token is the stand-in's job (./cognito-stand-in.ts).
 *
 * Its tokens carry the AWS issuer form (`https://cognito-idp.us-east-1.amazonaws.com/<pool>`);
 * the key set is served at `<moto>/<pool>/.well-known/jwks.json`.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "../../../dev/cognito-local.ts";

export interface MotoTokens {
  accessToken: string;
  refreshToken: string;
}

export interface MotoPool {
  readonly poolId: string;
  readonly clientId: string;
  /** What its tokens carry in `iss`. */
  readonly issuer: string;
  readonly jwksUri: string;
  /** A user with `password`, signed in once per call. */
  signIn(username: string): Promise<MotoTokens>;
  createUser(username: string): Promise<void>;
  globalSignOut(accessToken: string): Promise<void>;
}

export interface Moto {
  /** `http://127.0.0.1:<port>/`: the JSON API, as `COGNITO_ENDPOINT`. */
  readonly endpoint: string;
  createPool(): Promise<MotoPool>;
  stop(): Promise<void>;
}

export const MOTO_PASSWORD = "Passw0rd!Test";

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "moto-"));
  const log: string[] = [];
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = () => child.kill();
  process.once("exit", killOnExit);
  const endpoint = `http://127.0.0.1:${port}/`;
  try {
    // moto answers any path; its dashboard URL is a cheap readiness probe.
    await waitFor(`${endpoint}moto-api/`);
  } catch (error) {
    child.kill();
    throw new Error(`moto_server did not start: ${log.join("")}`, { cause: error });
  }

  async function call<T>(target: string, body: unknown): Promise<T> {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${target}` },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`moto ${target} answered ${response.status}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  async function createPool(): Promise<MotoPool> {
    const { UserPool } = await call<{ UserPool: { Id: string } }>("CreateUserPool", { PoolName: `gate-${Date.now()}` });
    const poolId = UserPool.Id;
    const { UserPoolClient } = await call<{ UserPoolClient: { ClientId: string } }>("CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "gate-test",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    const clientId = UserPoolClient.ClientId;
    return {
      poolId,
      clientId,
      issuer: `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`,
      jwksUri: `${endpoint}${poolId}/.well-known/jwks.json`,
      async createUser(username) {
        await call("AdminCreateUser", { UserPoolId: poolId, Username: username, TemporaryPassword: `${MOTO_PASSWORD}x` });
        await call("AdminSetUserPassword", { UserPoolId: poolId, Username: username, Password: MOTO_PASSWORD, Permanent: true });
      },
      async signIn(username) {
        const { AuthenticationResult } = await call<{ AuthenticationResult: { AccessToken: string; RefreshToken: string } }>("InitiateAuth", {
          AuthFlow: "USER_PASSWORD_AUTH",
          ClientId: clientId,
          AuthParameters: { USERNAME: username, PASSWORD: MOTO_PASSWORD },
        });
        return { accessToken: AuthenticationResult.AccessToken, refreshToken: AuthenticationResult.RefreshToken };
      },
      async globalSignOut(accessToken) {
        await call("GlobalSignOut", { AccessToken: accessToken });
      },
    };
  }

  return {
    endpoint,
    createPool,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, "SIGTERM");
        await exited;
      }
      process.off("exit", killOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
