/**
 * The pieces `npm start` runs, each on 127.0.0.1: cognito-local (seeded), the stand-in for
 * choice-based sign-in and passkeys in front of it (dev/passwordless-stand-in.ts: cognito-local has
 * neither), moto_server when it is installed (an identity pool and an S3 bucket for the Files
 * page), the origin API, the gate on workerd through `wrangler dev`, and a static server for the
 * demo pages with the elements bundled by esbuild. Used by `demo/start.ts` (`npm start`, which the
 * end-to-end tests run).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import * as esbuild from "esbuild";
import { browserOptions } from "../components/build/browser.ts";
import { CODE, freePort, startCognitoLocal, waitFor, type CognitoLocal } from "../dev/cognito-local.ts";
import { findMotoServer, MOTO_REGION, startMoto, type Moto } from "../dev/moto.ts";
import { portIsFree } from "../dev/ports.ts";
import { startPasswordlessStandIn, type PasswordlessStandIn } from "../dev/passwordless-stand-in.ts";
import { startOrigin } from "./origin.ts";

const root = resolve(import.meta.dirname, "..");

export const DEMO_USERS = {
  demo: { username: "demo", password: "Demo-pass-1", name: "Dana Demo", groups: [] as string[] },
  admin: { username: "admin", password: "Admin-pass-1", name: "Ada Admin", groups: ["admin"] },
};

export interface StackOptions {
  pagePort: number;
  gatePort: number;
  originPort: number;
  cognitoPort: number;
  /** The stand-in's port (USER_AUTH and passkeys in front of cognito-local). */
  standInPort: number;
  /** moto_server's port, for the Files page's identity pool and S3 (when moto_server is installed). */
  motoPort: number;
  /** Where cognito-local keeps its data between runs (default `.demo/`). */
  dataDir?: string;
  /** A real user pool instead of the emulator. */
  realPool?: { poolId: string; clientId: string; region: string; domain?: string };
}

export interface PageConfig {
  poolId: string;
  clientId: string;
  region?: string;
  endpoint?: string;
  /** Hosted UI origin and where it returns to (the emulator serves /oauth2/* itself). */
  domain?: string;
  redirectUri?: string;
  authFlow: "USER_SRP_AUTH" | "USER_PASSWORD_AUTH";
  gateUrl: string;
  /** The Files page's AWS side, when moto_server runs. */
  files?: FilesConfig;
  passkeys: PasskeysConfig;
}

/** The Passkeys page: choice-based sign-in (`USER_AUTH`) with its own app client. */
export interface PasskeysConfig {
  clientId: string;
  /** The stand-in in front of cognito-local; absent with a real pool. */
  endpoint?: string;
  /** The stand-in's fixed one-time code, to show on the page. */
  code?: string;
}

export interface FilesConfig {
  identityPoolId: string;
  /** cognito-identity and S3 both answer here (moto_server). */
  endpoint: string;
  bucket: string;
  region: string;
}

export interface Stack {
  pageUrl: string;
  /** The Passkeys page on http://localhost: browsers refuse WebAuthn on an IP address. */
  passkeysUrl: string;
  gateUrl: string;
  originUrl: string;
  /** The emulator, when running locally. */
  cognito?: CognitoLocal;
  /** The stand-in serving the Passkeys page's app client (emulator only). */
  standIn?: PasswordlessStandIn;
  /** moto_server, serving the Files page; absent with a real pool or when it is not installed. */
  moto?: Moto;
  /** Why the Files page is off, when it is. */
  filesOff?: string;
  /** A fresh access token for the demo user (emulator only). */
  demoAccessToken?: string;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number, readonly setting: string) {
    super(`Port ${port} is already in use. Stop whatever listens there, or set ${setting} to another port.`);
  }
}

export async function assertPortFree(port: number, setting: string): Promise<void> {
  if (!(await portIsFree(port))) throw new PortInUseError(port, setting);
}

interface Seeded {
  poolId: string;
  clientId: string;
  /** The Passkeys page's app client (USER_AUTH). */
  passkeysClientId: string;
  /** Bumped when the seed changes, so an older emulator pool is replaced. */
  seed: number;
}

const SEED = 4;

/** Reuses the pool from an earlier run when the emulator still has it, so sign-ups survive a restart. */
async function seedPool(cognito: CognitoLocal, stateFile: string, pagePort: number): Promise<Seeded> {
  if (existsSync(stateFile)) {
    const saved: Seeded = JSON.parse(await readFile(stateFile, "utf8"));
    try {
      await cognito.call("DescribeUserPoolClient", { UserPoolId: saved.poolId, ClientId: saved.clientId });
      if (saved.seed === SEED) return saved;
    } catch {
      // stale state from an emulator whose data was removed: seed again
    }
  }
  const pool = await cognito.createPool({
    // Email is verified by the sign-up code, as on a typical real pool; MFA is optional so a
    // user can turn on an authenticator app in the profile. Passkeys and email codes are allowed
    // first factors, as a real pool needs for choice-based sign-in (the stand-in serves them).
    pool: {
      AutoVerifiedAttributes: ["email"],
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] } },
    },
    mfa: "OPTIONAL",
    client: {
      ClientName: "cognito-elements-demo",
      AccessTokenValidity: 1,
      IdTokenValidity: 1,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: "hours", IdToken: "hours", RefreshToken: "days" },
      // The hosted UI (cognito-local's own sign-in form) sends the user back to the sign-in view.
      CallbackURLs: [hostedRedirect(pagePort)],
      AllowedOAuthFlows: ["code"],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
      SupportedIdentityProviders: ["COGNITO"],
    },
  });
  for (const user of Object.values(DEMO_USERS)) {
    await pool.createUser({
      username: user.username,
      password: user.password,
      attributes: { email: `${user.username}@example.com`, email_verified: "true", name: user.name },
      groups: user.groups,
    });
  }
  // The Passkeys page's client: USER_AUTH; USER_PASSWORD_AUTH because the stand-in checks a
  // password factor with cognito-local's USER_PASSWORD_AUTH for this client.
  const passkeysClientId = await pool.createClient({
    ClientName: "cognito-elements-demo-passkeys",
    ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  const seeded: Seeded = { poolId: pool.poolId, clientId: pool.clientId, passkeysClientId, seed: SEED };
  await writeFile(stateFile, JSON.stringify(seeded, null, 2));
  return seeded;
}

const hostedRedirect = (pagePort: number) => `http://127.0.0.1:${pagePort}/sign-in`;

const FILES_BUCKET = "cognito-elements-demo";
/** moto puts unsigned calls in this region. */

/**
 * The Files page's AWS side on moto_server: an identity pool that trusts the demo's user pool
 * (no guests), and a bucket the page's origins may call (CORS, as on real S3). moto keeps nothing
 * between runs, so both are made on every start.
 */
async function startFiles(port: number, poolId: string, clientId: string, pageOrigins: string[]): Promise<{ moto: Moto; files: FilesConfig }> {
  const moto = await startMoto({ port });
  try {
    const region = poolId.slice(0, poolId.indexOf("_"));
    const { IdentityPoolId } = await moto.callIdentity<{ IdentityPoolId: string }>("CreateIdentityPool", {
      IdentityPoolName: "cognito_elements_demo",
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: `cognito-idp.${region}.amazonaws.com/${poolId}`, ClientId: clientId }],
    });
    const bucket = new URL(FILES_BUCKET, moto.endpoint);
    const cors = [
      "<CORSConfiguration><CORSRule>",
      ...pageOrigins.map((origin) => `<AllowedOrigin>${origin}</AllowedOrigin>`),
      "<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>",
      "</CORSRule></CORSConfiguration>",
    ].join("");
    for (const [url, body] of [[bucket, undefined], [new URL("?cors", bucket), cors]] as const) {
      const response = await fetch(url, { method: "PUT", body });
      if (!response.ok) throw new Error(`moto_server refused PUT ${url.pathname}${url.search}: ${response.status}`);
    }
    return { moto, files: { identityPoolId: IdentityPoolId, endpoint: moto.endpoint, bucket: FILES_BUCKET, region: MOTO_REGION } };
  } catch (error) {
    await moto.stop();
    throw error;
  }
}

async function signIn(cognito: CognitoLocal, clientId: string, username: string, password: string): Promise<string> {
  const result = await cognito.call<any>("InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  return result.AuthenticationResult.AccessToken;
}

/**
 * `secrets` reach wrangler through an env file readable only by this user, not `--var`: a `--var`
 * value shows in `ps` and in the bindings table wrangler prints to .demo/gate.log, where an env
 * file's values are shown as hidden.
 */
function startGate(options: StackOptions, vars: Record<string, string>, secretsFile: string, logFile: string): Promise<ChildProcess> {
  return freePort().then((inspectorPort) => {
    const args = ["dev", "--ip", "127.0.0.1", "--port", String(options.gatePort), "--inspector-port", String(inspectorPort), "--env-file", secretsFile];
    for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
    const child = spawn(join(root, "node_modules", ".bin", "wrangler"), args, {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so stopping it also stops workerd
    });
    const log: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => log.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => log.push(chunk));
    child.once("exit", () => void writeFile(logFile, Buffer.concat(log)).catch(() => {}));
    return child;
  });
}

async function waitForGate(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error("The gate (wrangler dev) exited during start-up; see .demo/gate.log");
    try {
      await fetch(url); // any answer means workerd is serving the gate
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("The gate (wrangler dev) did not start within 90 s; see .demo/gate.log");
    await new Promise((r) => setTimeout(r, 200));
  }
}

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

async function startPageServer(port: number, config: PageConfig): Promise<{ server: Server; build: esbuild.BuildContext }> {
  const demoDir = join(root, "demo", "public");
  const outdir = join(root, ".demo", "bundle");
  // By URL path: the elements, the Files page's module (with cognito-elements/credentials and
  // aws4fetch), and the chunks they share, so both see one auth store.
  let bundles = new Map<string, string>();
  const build = await esbuild.context({
    ...browserOptions,
    entryPoints: { "cognito-elements": join(root, "components", "index.ts"), files: join(root, "demo", "files.ts") },
    splitting: true,
    outdir,
    write: false,
    sourcemap: "inline",
    logLevel: "warning",
    plugins: [
      {
        name: "keep",
        setup: (b: esbuild.PluginBuild) =>
          b.onEnd((result) => {
            if (result.outputFiles?.length) bundles = new Map(result.outputFiles.map((file) => [`/${relative(outdir, file.path)}`, file.text]));
          }),
      },
    ],
  });
  await build.rebuild();
  await build.watch(); // edits to components/ show on the next reload
  const configModule = `export const config = ${JSON.stringify(config)};\n`;

  const server = createHttpServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://page");
    const send = (status: number, type: string, body: string | Buffer) => {
      // One-click account changes (delete, MFA off) must not be clickjacked from a framing page.
      response.writeHead(status, { "content-type": type, "cache-control": "no-store", "content-security-policy": "frame-ancestors 'self'" });
      response.end(body);
    };
    const bundled = bundles.get(pathname);
    if (bundled !== undefined) return send(200, contentTypes[".js"]!, bundled);
    if (pathname === "/demo-config.js") return send(200, contentTypes[".js"]!, configModule);
    // The Passkeys page is a page of its own (its <cognito-config> says USER_AUTH); every other
    // view is a client-side route of the main page.
    const html = pathname === "/passkeys" ? "passkeys.html" : "index.html";
    const file = extname(pathname) ? normalize(join(demoDir, pathname)) : join(demoDir, html);
    if (!file.startsWith(demoDir + sep)) return send(404, "text/plain", "Not found");
    try {
      send(200, contentTypes[extname(file)] ?? "application/octet-stream", await readFile(file));
    } catch {
      send(404, "text/plain", "Not found");
    }
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolveListen());
  });
  return { server, build };
}

export async function startStack(options: StackOptions): Promise<Stack> {
  await assertPortFree(options.pagePort, "DEMO_PORT");
  await assertPortFree(options.gatePort, "GATE_PORT");
  await assertPortFree(options.originPort, "ORIGIN_PORT");
  if (!options.realPool) {
    await assertPortFree(options.cognitoPort, "COGNITO_PORT");
    await assertPortFree(options.standInPort, "STAND_IN_PORT");
  }
  const withMoto = !options.realPool && (await findMotoServer()) !== undefined;
  if (withMoto) await assertPortFree(options.motoPort, "MOTO_PORT");

  const dataDir = options.dataDir ?? join(root, ".demo");
  // cognito-local keeps passwords and refresh tokens in plain JSON there: this user's eyes only.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (options.dataDir === undefined) await chmod(dataDir, 0o700);
  const stops: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };

  try {
    const pageUrl = `http://127.0.0.1:${options.pagePort}/`;
    const gateUrl = `http://127.0.0.1:${options.gatePort}/`;
    const originUrl = `http://127.0.0.1:${options.originPort}/`;
    const passkeysUrl = `http://localhost:${options.pagePort}/passkeys`;

    let cognito: CognitoLocal | undefined;
    let standIn: PasswordlessStandIn | undefined;
    let moto: Moto | undefined;
    let filesOff: string | undefined;
    let config: PageConfig;
    let vars: Record<string, string>;
    let demoAccessToken: string | undefined;
    if (options.realPool) {
      const { poolId, clientId, region, domain } = options.realPool;
      config = { poolId, clientId, region, authFlow: "USER_SRP_AUTH", gateUrl, passkeys: { clientId } };
      if (domain) Object.assign(config, { domain, redirectUri: hostedRedirect(options.pagePort) });
      vars = { COGNITO_USER_POOL_ID: poolId, COGNITO_CLIENT_ID: clientId };
    } else {
      cognito = await startCognitoLocal({ port: options.cognitoPort, dataDir: join(dataDir, "cognito") });
      const emulator = cognito;
      stops.push(() => emulator.stop());
      const { poolId, clientId, passkeysClientId } = await seedPool(cognito, join(dataDir, "pool.json"), options.pagePort);
      const passwordless = await startPasswordlessStandIn(cognito.endpoint, { port: options.standInPort });
      standIn = passwordless;
      stops.push(() => passwordless.stop());
      passwordless.addPool({ poolId, clientId: passkeysClientId, userVerification: "required" });
      config = {
        poolId,
        clientId,
        endpoint: cognito.endpoint,
        authFlow: "USER_PASSWORD_AUTH",
        domain: cognito.endpoint.slice(0, -1),
        redirectUri: hostedRedirect(options.pagePort),
        gateUrl,
        passkeys: { clientId: passkeysClientId, endpoint: passwordless.endpoint, code: CODE },
      };
      vars = {
        COGNITO_USER_POOL_ID: poolId,
        COGNITO_CLIENT_ID: `${clientId},${passkeysClientId}`,
        COGNITO_ISSUER: `http://127.0.0.1:${options.cognitoPort}/${poolId}`,
      };
      demoAccessToken = await signIn(cognito, clientId, DEMO_USERS.demo.username, DEMO_USERS.demo.password);
      if (withMoto) {
        const started = await startFiles(options.motoPort, poolId, clientId, [pageUrl.slice(0, -1), `http://localhost:${options.pagePort}`]);
        moto = started.moto;
        stops.push(() => started.moto.stop());
        config.files = started.files;
      } else {
        filesOff = "moto_server is not on PATH (pip install 'moto[server]')";
      }
    }
    if (options.realPool) filesOff = "it runs on moto_server, beside the local Cognito only";
    vars = {
      ...vars,
      ORIGIN_URL: originUrl,
      PUBLIC_PATHS: "/api/public/*",
      CORS_ALLOWED_ORIGINS: `${pageUrl.slice(0, -1)},http://localhost:${options.pagePort}`,
    };

    // A fresh ORIGIN_SECRET each run: the origin refuses anything that did not come through the gate.
    const originSecret = randomBytes(32).toString("hex");
    const secretsDir = await mkdtemp(join(tmpdir(), "cognito-gate-"));
    stops.push(() => rm(secretsDir, { recursive: true, force: true }));
    const secretsFile = join(secretsDir, "gate.env");
    await writeFile(secretsFile, `ORIGIN_SECRET=${originSecret}\n`, { mode: 0o600 });

    const origin = await startOrigin(options.originPort, originSecret);
    stops.push(() => {
      origin.closeAllConnections();
      return new Promise<void>((r) => origin.close(() => r()));
    });

    const gate = await startGate(options, vars, secretsFile, join(dataDir, "gate.log"));
    const gateExited = new Promise<void>((r) => gate.once("exit", () => r()));
    // wrangler runs in its own process group: if this process dies without stop() (a crash, a
    // closed terminal), take the group down with it rather than leave workerd listening.
    const killGate = () => {
      if (gate.exitCode !== null) return;
      try {
        process.kill(-gate.pid!, "SIGTERM");
      } catch {
        // already gone
      }
    };
    process.once("exit", killGate);
    stops.push(async () => {
      process.off("exit", killGate);
      if (gate.exitCode === null) {
        killGate();
        await gateExited;
      }
    });
    await waitForGate(gateUrl, gate);

    const page = await startPageServer(options.pagePort, config);
    stops.push(async () => {
      await page.build.dispose();
      page.server.closeAllConnections();
      await new Promise<void>((r) => page.server.close(() => r()));
    });
    await waitFor(pageUrl);

    return { pageUrl, passkeysUrl, gateUrl, originUrl, cognito, standIn, moto, filesOff, demoAccessToken, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export { CODE };
