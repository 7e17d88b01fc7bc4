/**
 * What the Node-side stand-in pools of these tests share (srp-flow.test.ts, user-auth.test.ts): a
 * Cognito JSON 1.1 API on 127.0.0.1 that hands each request's operation and body to the test's
 * handler, and tokens the client can read. dev/json-api.ts does the HTTP.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { answer, readBody } from "../../dev/json-api.ts";

export type Send = (status: number, json: unknown) => void;

/** Listens on a free port of 127.0.0.1; `handle` answers each request through `send`. */
export async function listenJsonApi(handle: (operation: string, body: any, send: Send) => void): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    const body = JSON.parse((await readBody(request)) || "{}");
    const operation = String(request.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
    handle(operation, body, (status, json) => answer(response, status, json));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An unsigned JWT: the client only reads its own tokens' claims. */
function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part(claims)}.`;
}

/** A sign-in's answer for `username` (`email` in the ID token), valid for an hour. */
export function signedIn(username: string, email: string): { AuthenticationResult: { AccessToken: string; IdToken: string; RefreshToken: string } } {
  const now = Math.floor(Date.now() / 1000);
  const claims = { username, iat: now, exp: now + 3600 };
  return { AuthenticationResult: { AccessToken: token({ ...claims, token_use: "access" }), IdToken: token({ ...claims, token_use: "id", email }), RefreshToken: "opaque" } };
}
