/**
 * Stand-in for a pool that requires MFA with TOTP only, which answers a password sign-in of a user
 * without MFA with the MFA_SETUP challenge. cognito-local cannot: it never issues MFA_SETUP and
 * refuses AssociateSoftwareToken / VerifySoftwareToken with a Session. Shapes follow the AWS
 * Cognito API reference (InitiateAuth, AssociateSoftwareToken, VerifySoftwareToken,
 * RespondToAuthChallenge). The password is checked by cognito-local, whose tokens are handed out
 * once a TOTP code computed from the issued secret (RFC 6238) was verified. Other operations are
 * forwarded to cognito-local.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { answer, CORS, forward as forwardTo, readBody } from "../../../dev/json-api.ts";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(bytes: Buffer): string {
  let bits = "";
  for (const byte of bytes) bits += byte.toString(2).padStart(8, "0");
  return (bits.match(/.{1,5}/g) ?? []).map((chunk) => BASE32[parseInt(chunk.padEnd(5, "0"), 2)]).join("");
}

function totp(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

interface Pending {
  readonly username: string;
  readonly tokens: unknown;
  secret?: Buffer;
  verified?: boolean;
}

export interface MfaSetupStandIn {
  readonly endpoint: string;
  /** Operations answered here (not forwarded), in order. */
  readonly calls: string[];
  stop(): Promise<void>;
}



export async function startMfaSetupStandIn(upstream: string): Promise<MfaSetupStandIn> {
  const sessions = new Map<string, Pending>();
  const calls: string[] = [];
  const forward = (target: string, body: string) => forwardTo(upstream, target, body);
  const mismatch = { __type: "CodeMismatchException", message: "Invalid code received for user" };
  const server = createServer(async (request, response) => {
    if (request.method === "OPTIONS") return void response.writeHead(204, CORS).end();
    const body = await readBody(request);
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.split(".").pop() ?? "";
    const input = body ? JSON.parse(body) : {};
    const pending = typeof input.Session === "string" ? sessions.get(input.Session) : undefined;
    if (operation === "InitiateAuth" && input.AuthFlow === "USER_PASSWORD_AUTH") {
      const upstreamAnswer = await forward(target, body);
      if (upstreamAnswer.status !== 200 || !upstreamAnswer.json.AuthenticationResult) return answer(response, upstreamAnswer.status, upstreamAnswer.json);
      calls.push(operation);
      const session = randomUUID();
      sessions.set(session, { username: input.AuthParameters.USERNAME, tokens: upstreamAnswer.json.AuthenticationResult });
      return answer(response, 200, { ChallengeName: "MFA_SETUP", ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }, Session: session });
    }
    if (operation === "AssociateSoftwareToken" && pending) {
      calls.push(operation);
      pending.secret = randomBytes(20);
      return answer(response, 200, { SecretCode: base32(pending.secret), Session: input.Session });
    }
    if (operation === "VerifySoftwareToken" && pending?.secret) {
      calls.push(operation);
      const step = Math.floor(Date.now() / 30_000);
      if (![step - 1, step, step + 1].some((s) => totp(pending.secret!, s) === input.UserCode)) return answer(response, 400, mismatch);
      pending.verified = true;
      return answer(response, 200, { Status: "SUCCESS", Session: input.Session });
    }
    if (operation === "RespondToAuthChallenge" && input.ChallengeName === "MFA_SETUP" && pending?.verified) {
      calls.push(operation);
      sessions.delete(input.Session);
      return answer(response, 200, { ChallengeParameters: {}, AuthenticationResult: pending.tokens });
    }
    if (pending) return answer(response, 400, { __type: "NotAuthorizedException", message: "Invalid session for the user." });
    const forwarded = await forward(target, body);
    answer(response, forwarded.status, forwarded.json);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}/`, calls, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
