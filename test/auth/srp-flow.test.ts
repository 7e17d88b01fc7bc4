/**
 * USER_SRP_AUTH end to end through AuthClient, against a stand-in pool that checks the password
 * claim: neither real server here can (cognito-local has no SRP, moto accepts any signature).
 * The stand-in is test/auth/srp-server.ts (its own SRP math) behind Cognito's JSON API shapes
 * (InitiateAuth → PASSWORD_VERIFIER, RespondToAuthChallenge → AuthenticationResult or
 * NotAuthorizedException), on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthClient, AuthError, MemoryStorage, parseConfig } from "../../components/auth/index.ts";
import { listenJsonApi, signedIn } from "./json-api-stand-in.ts";
import { SrpServer, type PasswordClaim } from "./srp-server.ts";

const POOL_ID = "eu-west-1_SrpStandIn";
const USERNAME = "alice@example.com";
const PASSWORD = "Correct-Horse-9";

describe("SRP sign-in against a stand-in pool that checks the password claim (stand-in: no real server checks it)", () => {
  let api: Awaited<ReturnType<typeof listenJsonApi>>;
  let endpoint = "";
  const srp = new SrpServer(POOL_ID.split("_")[1]!);
  srp.signUp(USERNAME, PASSWORD);

  beforeAll(async () => {
    api = await listenJsonApi((operation, body, send) => {
      if (operation === "InitiateAuth" && body.AuthFlow === "USER_SRP_AUTH") {
        return send(200, { ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: srp.initiate(body.AuthParameters.USERNAME, body.AuthParameters.SRP_A) });
      }
      if (operation === "RespondToAuthChallenge" && body.ChallengeName === "PASSWORD_VERIFIER") {
        if (!srp.respond(body.ChallengeResponses as PasswordClaim)) return send(400, { __type: "NotAuthorizedException", message: "Incorrect username or password." });
        return send(200, signedIn(body.ChallengeResponses.USERNAME, USERNAME));
      }
      send(400, { __type: "InvalidParameterException", message: "not served by this stand-in" });
    });
    endpoint = api.endpoint;
  });
  afterAll(() => api.close());

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
