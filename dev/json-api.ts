/**
 * What every stand-in shares (dev/passwordless-stand-in.ts, the tests' in test/components/server/):
 * Cognito's JSON 1.1 over HTTP, open to any page (CORS `*`, as cognito-local answers), and
 * forwarding to the real cognito-local behind it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const CORS = { "access-control-allow-origin": "*", "access-control-allow-headers": "*", "access-control-allow-methods": "POST, OPTIONS" };

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** Answers `body` as Cognito does. */
export function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...CORS, "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(body));
}

/** Sends `body` (JSON text) to `upstream` as operation `target` (`AWSCognitoIdentityProviderService.<Op>`). */
export async function forward(upstream: string, target: string, body: string): Promise<{ status: number; json: any }> {
  const response = await fetch(upstream, { method: "POST", headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target }, body });
  return { status: response.status, json: JSON.parse((await response.text()) || "{}") };
}
