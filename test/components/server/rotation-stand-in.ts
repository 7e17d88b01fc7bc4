/**
 * Stand-in for an app client with refresh-token rotation, which neither cognito-local nor moto has
 * (both lack GetTokensFromRefreshToken). Shapes follow the AWS Cognito API reference:
 * GetTokensFromRefreshToken answers `AuthenticationResult` with a new `RefreshToken`, and the one
 * it replaced is refused afterwards (NotAuthorizedException), as with rotation on. Sign-in is
 * cognito-local's (USER_PASSWORD_AUTH, forwarded), whose refresh token the stand-in keeps and hands
 * out as opaque rotating ones; new access tokens come from cognito-local's REFRESH_TOKEN_AUTH.
 * Every other operation is forwarded.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { answer, CORS, forward as forwardTo, readBody } from "../../../dev/json-api.ts";


export interface RotationStandIn {
  readonly endpoint: string;
  /** GetTokensFromRefreshToken calls, in order: whether each was answered with new tokens. */
  readonly rotations: Array<{ readonly accepted: boolean }>;
  stop(): Promise<void>;
}



export async function startRotationStandIn(upstream: string): Promise<RotationStandIn> {
  /** Current opaque refresh token → cognito-local's real one. Spent tokens are removed. */
  const live = new Map<string, string>();
  const rotations: Array<{ accepted: boolean }> = [];
  const forward = (target: string, body: string) => forwardTo(upstream, target, body);
  const server = createServer(async (request, response) => {
    if (request.method === "OPTIONS") return void response.writeHead(204, CORS).end();
    const body = await readBody(request);
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.split(".").pop();
    const input = body ? JSON.parse(body) : {};
    if (operation === "GetTokensFromRefreshToken") {
      const real = live.get(input.RefreshToken);
      rotations.push({ accepted: real !== undefined });
      if (!real) return answer(response, 400, { __type: "NotAuthorizedException", message: "Invalid Refresh Token" });
      live.delete(input.RefreshToken);
      const refreshed = await forward(
        "AWSCognitoIdentityProviderService.InitiateAuth",
        JSON.stringify({ AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: input.ClientId, AuthParameters: { REFRESH_TOKEN: real } }),
      );
      const rotated = randomUUID();
      live.set(rotated, real);
      return answer(response, refreshed.status, { AuthenticationResult: { ...refreshed.json.AuthenticationResult, RefreshToken: rotated } });
    }
    const forwarded = await forward(target, body);
    const result = forwarded.json.AuthenticationResult;
    if (operation === "InitiateAuth" && result?.RefreshToken) {
      const opaque = randomUUID();
      live.set(opaque, result.RefreshToken);
      result.RefreshToken = opaque;
    }
    answer(response, forwarded.status, forwarded.json);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}/`, rotations, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
