/**
 * A real moto_server for tests, the demo and the bench: the second Cognito beside cognito-local.
 * Started from a fresh temp dir on a free 127.0.0.1 port, stopped (process group killed, dir
 * removed) by `stop()` or when this process exits. Pools have the same shape as cognito-local's
 * `TestPool`, so one case can run against either server.
 *
 * Usage:
 *   const moto = await startMoto();
 *   const pool = await moto.createPool({ usernameAttributes: ["email"] });
 *   const user = await pool.createUser({ groups: ["admin"] });
 *   const tokens = await pool.signIn(user.username, user.password);
 *   await moto.stop();
 *
 * What moto 5.2.1 serves (measured by test/auth/moto.test.ts):
 * - Cognito's JSON API on `POST /`, unsigned; cognito-identity on the same port.
 * - AdminCreateUser + AdminSetUserPassword(Permanent) → CONFIRMED; groups; UsernameAttributes.
 * - USER_PASSWORD_AUTH: RS256 tokens, kid `dummy`, `iss` in the AWS form
 *   `https://cognito-idp.us-east-1.amazonaws.com/<poolId>`; key set at `/<poolId>/.well-known/jwks.json`.
 * - REFRESH_TOKEN_AUTH: new access and ID tokens, no new refresh token (no rotation).
 * - GlobalSignOut: afterwards GetUser with the old access token and REFRESH_TOKEN_AUTH with the old
 *   refresh token both fail with NotAuthorizedException.
 * - USER_SRP_AUTH: a PASSWORD_VERIFIER challenge, but SRP_B and SALT are random 32-hex strings, not
 *   SRP values, and PASSWORD_CLAIM_SIGNATURE is never checked (a wrong password passes: that case
 *   needs a real SRP server). USER_ID_FOR_SRP is always the sub, and the answer's USERNAME is looked
 *   up as a username (or email, in an email-as-username pool), so a client answering with
 *   USER_ID_FOR_SRP, as amazon-cognito-identity-js does, gets UserNotFoundException in a
 *   plain-username pool; in an email-as-username pool it signs in.
 * - cognito-identity CreateIdentityPool, GetId, GetCredentialsForIdentity (fake credentials).
 *
 * What it cannot serve (each answers 500 with an HTML page, no `__type`; the log says
 * "NotImplementedError: The <op> action has not been implemented"):
 * - RevokeToken, GetTokensFromRefreshToken, ResendConfirmationCode.
 * - `USER_AUTH` is refused with InvalidParameterException (not in moto's AuthFlow enum).
 * - Token lifetimes: the client's AccessTokenValidity/IdTokenValidity are stored but ignored;
 *   every token lasts 3600 s, so expiry cases need cognito-local.
 * - RevokeToken is unimplemented, so a refresh token stays usable until GlobalSignOut.
 * - ID tokens carry user attributes (email …) only when the client lists ReadAttributes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { constants, rmSync } from "node:fs";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { createTestPool, type PoolOptions, type TestPool } from "./pool.ts";
import { freePort, portIsFree, waitFor } from "./ports.ts";

export type { PoolOptions, TestPool, TestUser, Tokens, UserOptions } from "./pool.ts";

/** moto signs every token with this kid, from its bundled key pair (public: trust it in tests only). */
export const MOTO_KID = "dummy";
/** Without a signed request moto places everything in this region; pool ids start with it. */
export const MOTO_REGION = "us-east-1";

export interface Moto {
  /** `http://127.0.0.1:<port>/`, the endpoint for Cognito and cognito-identity calls. */
  readonly endpoint: string;
  readonly port: number;
  /** The lines moto_server has logged so far (requests, and tracebacks of unimplemented actions). */
  readonly log: string[];
  /** A Cognito user-pool operation (`AWSCognitoIdentityProviderService.<target>`). */
  call<T = any>(target: string, body: unknown): Promise<T>;
  /** A Cognito identity-pool operation (`AWSCognitoIdentityService.<target>`). */
  callIdentity<T = any>(target: string, body: unknown): Promise<T>;
  createPool(options?: PoolOptions): Promise<TestPool>;
  stop(): Promise<void>;
}

/** A failed call: `code` is the `__type` moto sent, absent when it answered with no JSON (a 500). */
export class MotoCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = "MotoCallError";
  }
}


/** `sh -c` script: run "$0" "$@" until it exits or stdin reaches EOF, then remove $MOTO_TEMP_DIR. */
const WATCHDOG = `
exec 3<&0
"$0" "$@" </dev/null 3<&- &
server=$!
{ read -r _ <&3; kill "$server" 2>/dev/null; } &
watch=$!
exec 3<&-
wait "$server"; status=$?
kill "$watch" 2>/dev/null
rm -rf "$MOTO_TEMP_DIR"
exit "$status"
`;


async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function jsonCaller(endpoint: string, service: string) {
  return async function call<T>(target: string, body: unknown): Promise<T> {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `${service}.${target}` },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let json: any = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      // moto answers an unimplemented action with Werkzeug's HTML 500 page
    }
    if (!response.ok) {
      const code: string | undefined = json.__type ?? json.code;
      throw new MotoCallError(`${target} failed: ${code ?? response.status} ${json.message ?? ""}`.trim(), response.status, code);
    }
    return json as T;
  };
}

/** moto_server's path, or undefined when it is not on PATH (the demo runs without it). */
export function findMotoServer(): Promise<string | undefined> {
  return findOnPath("moto_server");
}

export async function startMoto(options: { port?: number } = {}): Promise<Moto> {
  const bin = await findMotoServer();
  if (!bin) {
    throw new Error("moto_server is not on PATH: install moto with its server extra (pip install 'moto[server]')");
  }
  const port = options.port ?? (await freePort());
  if (options.port !== undefined && !(await portIsFree(port))) throw new Error(`moto_server cannot start: 127.0.0.1:${port} is in use`);
  const dir = await mkdtemp(join(tmpdir(), "moto-"));
  const log: string[] = [];
  // sh runs moto_server and ends it when our end of its stdin closes: on stop(), and when this
  // process dies, even by a signal (vitest ends a test worker that way, skipping `exit` handlers).
  // Its own process group lets a last-resort kill reach the pyenv shim's descendants too.
  const child: ChildProcess = spawn("/bin/sh", ["-c", WATCHDOG, bin, "-H", "127.0.0.1", "-p", String(port)], {
    cwd: dir,
    env: { ...process.env, PYTHONUNBUFFERED: "1", MOTO_TEMP_DIR: dir },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  const collect = (chunk: Buffer) => log.push(...chunk.toString().split("\n").filter(Boolean));
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (error) => {
      log.push(String(error));
      resolve();
    });
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // If whoever started it dies without stop() (a crash, process.exit), don't leave it running.
  const killOnExit = () => {
    killGroup("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));

  const endpoint = `http://127.0.0.1:${port}/`;
  async function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) {
      // Closing stdin has the watchdog end moto_server and wait for it, so `exited` means it is gone.
      child.stdin?.end();
      const timer = setTimeout(() => killGroup("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  }

  try {
    // The smallest read-only answer moto has (a few bytes of JSON; `/moto-api/` is a 10 KB page).
    await waitFor(`${endpoint}moto-api/config`, 30_000, exited);
  } catch (error) {
    await stop();
    throw new Error(`moto_server did not start: ${log.join("\n")}`, { cause: error });
  }

  const call = jsonCaller(endpoint, "AWSCognitoIdentityProviderService");
  const callIdentity = jsonCaller(endpoint, "AWSCognitoIdentityService");
  const createPool = (poolOptions: PoolOptions = {}) =>
    createTestPool(call, poolOptions, {
      issuer: (poolId) => `https://cognito-idp.${MOTO_REGION}.amazonaws.com/${poolId}`,
      jwksUri: (poolId) => `http://127.0.0.1:${port}/${poolId}/.well-known/jwks.json`,
      emailUsernames: true,
    });
  return { endpoint, port, log, call, callIdentity, createPool, stop };
}
