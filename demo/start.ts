/**
 * `npm start`: the whole product on this machine, no AWS account needed.
 * Ports: DEMO_PORT (8080), GATE_PORT (8787), ORIGIN_PORT (8788), COGNITO_PORT (9230), MOTO_PORT (9231;
 * moto_server, for the Files page, when it is installed), STAND_IN_PORT (9232; the stand-in for
 * choice-based sign-in and passkeys, dev/passwordless-stand-in.ts).
 * The emulator keeps its users in DEMO_DATA_DIR (default `.demo/`), so sign-ups survive a restart.
 * With COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID set, a real user pool replaces the emulator
 * (COGNITO_DOMAIN adds its hosted UI; its app client needs <page>/sign-in as a callback URL; the
 * Passkeys page needs ALLOW_USER_AUTH on it).
 */
import { CODE, DEMO_USERS, PortInUseError, startStack, type StackOptions } from "./stack.ts";

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    console.error(`${name} must be a port number (1–65535); got "${value}".`);
    process.exit(2);
  }
  return parsed;
}

function realPool(): StackOptions["realPool"] {
  const poolId = process.env.COGNITO_USER_POOL_ID;
  const clientId = process.env.COGNITO_CLIENT_ID;
  if (!poolId && !clientId) return undefined;
  if (!poolId || !clientId) {
    console.error("Set both COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID to use a real user pool (or neither for the emulator).");
    process.exit(2);
  }
  const region = process.env.COGNITO_REGION ?? poolId.split("_")[0]!;
  return { poolId, clientId, region, domain: process.env.COGNITO_DOMAIN || undefined };
}

const options: StackOptions = {
  pagePort: port("DEMO_PORT", 8080),
  gatePort: port("GATE_PORT", 8787),
  originPort: port("ORIGIN_PORT", 8788),
  cognitoPort: port("COGNITO_PORT", 9230),
  motoPort: port("MOTO_PORT", 9231),
  standInPort: port("STAND_IN_PORT", 9232),
  dataDir: process.env.DEMO_DATA_DIR || undefined,
  realPool: realPool(),
};

console.log(options.realPool ? `Starting the demo against the real user pool ${options.realPool.poolId}…` : "Starting the demo…");
let stack;
try {
  stack = await startStack(options);
} catch (error) {
  console.error(error instanceof PortInUseError ? error.message : `Could not start the demo: ${(error as Error).message}`);
  process.exit(1);
}

const lines = [
  "",
  "cognito-elements demo is running",
  "",
  `  Page    ${stack.pageUrl}`,
];
if (stack.cognito) {
  lines.push(
    `  Users   ${DEMO_USERS.demo.username} / ${DEMO_USERS.demo.password}    ${DEMO_USERS.admin.username} / ${DEMO_USERS.admin.password} (in the admin group)`,
    `  Codes   every confirmation and reset code is ${CODE} (the local Cognito, cognito-local, on ${stack.cognito.endpoint}, sends no mail)`,
  );
} else {
  lines.push(`  Pool    ${options.realPool!.poolId} (real Amazon Cognito: codes arrive by email or SMS)`);
}
// Chromium refuses WebAuthn on an IP address ("invalid domain"): the Passkeys page is opened on
// localhost, which reaches the same 127.0.0.1 server.
lines.push(`  Passkeys ${stack.passkeysUrl}  (open it on localhost: browsers refuse passkeys on 127.0.0.1)`);
if (stack.standIn) {
  lines.push(
    `           a STAND-IN for Cognito's USER_AUTH and passkeys on ${stack.standIn.endpoint} (cognito-local has neither):`,
    `           passkeys and email codes (the code is ${CODE}); passkeys you add last until Ctrl-C`,
  );
}
lines.push(`  Gate    ${stack.gateUrl} → origin ${stack.originUrl}`);
lines.push(
  stack.moto
    ? `  Files   ${stack.pageUrl}files: uploads to S3 with each user's own AWS credentials (identity pool and S3 on moto_server, ${stack.moto.endpoint})`
    : `  Files   off: ${stack.filesOff}; everything else works`,
);
if (stack.demoAccessToken) {
  lines.push("", "  Call the API through the gate as the demo user (the token lasts an hour):");
  lines.push(`  curl -H "Authorization: Bearer ${stack.demoAccessToken}" ${stack.gateUrl}api/whoami`);
}
lines.push("", "  Ctrl-C stops everything.", "");
console.log(lines.join("\n"));

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping…");
  await stack!.stop();
  console.log("Stopped.");
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
process.on("SIGHUP", shutdown); // the terminal closed
