/**
 * USER_SRP_AUTH end to end through AuthClient, against a stand-in pool that checks the password
 * claim: neither real server here can (cognito-local has no SRP, moto accepts any signature).
 * The stand-in is test/auth/srp-server.ts (its own SRP math) behind Cognito's JSON API shapes
 * (InitiateAuth → PASSWORD_VERIFIER, RespondToAuthChallenge → AuthenticationResult or
 * NotAuthorizedException), on 127.0.0.1.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthClient, AuthError, MemoryStorage, parseConfig } from "../../components/auth/index.ts";
import { SrpServer, type PasswordClaim } from "./srp-server.ts";

const POOL_ID = "eu-west-1_SrpStandIn";
const USERNAME = "alice@example.com";
const PASSWORD = "Correct-Horse-9";

/** An unsigned JWT: the client only reads its own tokens' claims. */
function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part(claims)}.`;
}

describe("SRP sign-in against a stand-in pool that checks the password claim (stand-in: no real server checks it)", () => {
  let server: Server;
  let endpoint = "";
  const srp = new SrpServer(POOL_ID.split("_")[1]!);
  srp.signUp(USERNAME, PASSWORD);

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString() || "{}");
      const operation = String(request.headers["x-amz-target"] ?? "").split(".").pop();
      const send = (status: number, json: unknown) => response.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(json));
      if (operation === "InitiateAuth" && body.AuthFlow === "USER_SRP_AUTH") {
        return send(200, { ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: srp.initiate(body.AuthParameters.USERNAME, body.AuthParameters.SRP_A) });
      }
      if (operation === "RespondToAuthChallenge" && body.ChallengeName === "PASSWORD_VERIFIER") {
        if (!srp.respond(body.ChallengeResponses as PasswordClaim)) return send(400, { __type: "NotAuthorizedException", message: "Incorrect username or password." });
        const now = Math.floor(Date.now() / 1000);
        const claims = { username: body.ChallengeResponses.USERNAME, iat: now, exp: now + 3600 };
        return send(200, { AuthenticationResult: { AccessToken: token({ ...claims, token_use: "access" }), IdToken: token({ ...claims, token_use: "id", email: USERNAME }), RefreshToken: "opaque" } });
      }
      send(400, { __type: "InvalidParameterException", message: "not served by this stand-in" });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () => new AuthClient(parseConfig({ poolId: POOL_ID, clientId: "standin", endpoint }), { storage: new MemoryStorage() });

  it("signs in with the right password", async () => {
    const signedIn = client();
    expect(await signedIn.signIn(USERNAME, PASSWORD)).toEqual({ kind: "signed-in" });
    expect(await signedIn.accessToken()).toMatch(/^ey/);
  });

  it("is refused with a wrong password, as invalid_credentials, and stores nothing", async () => {
    const refused = client();
    const failure = await refused.signIn(USERNAME, "Wrong-Horse-9").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as AuthError).code).toBe("invalid_credentials");
    expect(refused.storage.length).toBe(0);
  });
});
