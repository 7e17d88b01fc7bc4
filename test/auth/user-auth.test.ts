/**
 * Choice-based sign-in (`USER_AUTH`) through AuthClient in Node, with the password by SRP inside
 * it: neither real server here serves USER_AUTH (cognito-local has no such flow, moto answers
 * InvalidParameterException), so a stand-in pool answers with the shapes of AWS's API reference
 * (InitiateAuth and RespondToAuthChallenge, ChallengeResponseType: SELECT_CHALLENGE with ANSWER
 * PASSWORD_SRP and SRP_A, or PASSWORD; PASSWORD_VERIFIER) and checks the password claim with its
 * own SRP math (srp-server.ts). Every case says "stand-in".
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthClient, AuthError, MemoryStorage, parseConfig } from "../../components/auth/index.ts";
import { listenJsonApi, signedIn } from "./json-api-stand-in.ts";
import { SrpServer, type PasswordClaim } from "./srp-server.ts";

const POOL_ID = "eu-west-1_UserAuthStandIn";
const USERNAME = "alice@example.com";
const PASSWORD = "Correct-Horse-9";

describe("USER_AUTH with the password (stand-in: no real server here has USER_AUTH)", () => {
  let api: Awaited<ReturnType<typeof listenJsonApi>>;
  let endpoint = "";
  const srp = new SrpServer(POOL_ID.split("_")[1]!);
  srp.signUp(USERNAME, PASSWORD);
  /** AvailableChallenges the stand-in offers, in its order. */
  let offered: string[] = [];
  /** Request bodies, by operation and challenge. */
  let seen: Array<{ operation: string; body: any }> = [];

  beforeAll(async () => {
    api = await listenJsonApi((operation, body, send) => {
      seen.push({ operation, body });
      const refused = () => send(400, { __type: "NotAuthorizedException", message: "Incorrect username or password." });
      const tokens = (username: string) => signedIn(username, USERNAME);
      const verifier = (srpA: string) => ({ ChallengeName: "PASSWORD_VERIFIER", Session: "verifier-session", ChallengeParameters: srp.initiate(USERNAME, srpA) });
      const parameters = body.AuthParameters ?? {};
      const responses = body.ChallengeResponses ?? {};
      if (operation === "InitiateAuth" && body.AuthFlow === "USER_AUTH") {
        if (parameters.PREFERRED_CHALLENGE === "PASSWORD_SRP") return send(200, verifier(parameters.SRP_A));
        return send(200, { ChallengeName: "SELECT_CHALLENGE", Session: "select-session", ChallengeParameters: {}, AvailableChallenges: offered });
      }
      if (operation === "RespondToAuthChallenge" && body.ChallengeName === "SELECT_CHALLENGE" && body.Session === "select-session") {
        if (responses.ANSWER === "PASSWORD_SRP" && offered.includes("PASSWORD_SRP")) return send(200, verifier(responses.SRP_A));
        if (responses.ANSWER === "PASSWORD" && offered.includes("PASSWORD")) return responses.PASSWORD === PASSWORD ? send(200, tokens(USERNAME)) : refused();
      }
      if (operation === "RespondToAuthChallenge" && body.ChallengeName === "PASSWORD_VERIFIER" && body.Session === "verifier-session") {
        return srp.respond(responses as PasswordClaim) ? send(200, tokens(responses.USERNAME)) : refused();
      }
      send(400, { __type: "InvalidParameterException", message: "not served by this stand-in" });
    });
    endpoint = api.endpoint;
  });
  afterAll(() => api.close());
  beforeEach(() => {
    seen = [];
    offered = ["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP", "WEB_AUTHN"];
  });

  const client = () => new AuthClient(parseConfig({ poolId: POOL_ID, clientId: "standin", endpoint, authFlow: "USER_AUTH" }), { storage: new MemoryStorage() });
  const sentPassword = () => JSON.stringify(seen).includes(PASSWORD);
  /** The sign-in requests only (a signed-in client also reads GetUser in the background). */
  const flow = () => seen.filter((request) => request.operation === "InitiateAuth" || request.operation === "RespondToAuthChallenge");

  it("stand-in: signIn with auth-flow USER_AUTH asks for PASSWORD_SRP with SRP_A and signs in without sending the password", async () => {
    const signedIn = client();
    expect(await signedIn.signIn(USERNAME, PASSWORD)).toEqual({ kind: "signed-in" });
    expect(flow()[0]!.body).toMatchObject({ AuthFlow: "USER_AUTH", AuthParameters: { USERNAME, PREFERRED_CHALLENGE: "PASSWORD_SRP" } });
    expect(flow()[0]!.body.AuthParameters.SRP_A).toMatch(/^[0-9a-f]+$/);
    expect(flow().map((request) => request.body.ChallengeName ?? request.body.AuthFlow)).toEqual(["USER_AUTH", "PASSWORD_VERIFIER"]);
    expect(sentPassword()).toBe(false);
  });

  it("stand-in: a wrong password inside USER_AUTH is invalid_credentials and stores nothing", async () => {
    const refused = client();
    const failure = await refused.signIn(USERNAME, "Wrong-Horse-9").catch((error: unknown) => error);
    expect((failure as AuthError).code).toBe("invalid_credentials");
    expect(refused.storage.length).toBe(0);
  });

  it("stand-in: SELECT_CHALLENGE lists the factors in Cognito's order, leaving out names the client does not know", async () => {
    offered = ["EMAIL_OTP", "SOME_FUTURE_FACTOR", "WEB_AUTHN", "PASSWORD_SRP"];
    expect(await client().startSignIn(USERNAME)).toEqual({ kind: "select-factor", factors: ["EMAIL_OTP", "WEB_AUTHN", "PASSWORD_SRP"] });
    expect(flow()[0]!.body.AuthParameters).toEqual({ USERNAME });
  });

  it("stand-in: the password answers SELECT_CHALLENGE by PASSWORD_SRP where offered: the password never leaves", async () => {
    const signedIn = client();
    await signedIn.startSignIn(USERNAME);
    expect(await signedIn.answerWithPassword(PASSWORD)).toEqual({ kind: "signed-in" });
    expect(flow()[1]!.body).toMatchObject({ ChallengeName: "SELECT_CHALLENGE", Session: "select-session", ChallengeResponses: { USERNAME, ANSWER: "PASSWORD_SRP" } });
    expect(flow()[2]!.body.ChallengeName).toBe("PASSWORD_VERIFIER");
    expect(sentPassword()).toBe(false);
  });

  it("stand-in: with only PASSWORD offered, the password goes as ANSWER PASSWORD; a refusal starts a new sign-in on the next try", async () => {
    offered = ["PASSWORD", "EMAIL_OTP"];
    const signedIn = client();
    await signedIn.startSignIn(USERNAME);
    const failure = await signedIn.answerWithPassword("Wrong-Horse-9").catch((error: unknown) => error);
    expect((failure as AuthError).code).toBe("invalid_credentials");
    expect(await signedIn.answerWithPassword(PASSWORD)).toEqual({ kind: "signed-in" });
    expect(flow().map((request) => request.body.ChallengeName ?? request.body.AuthFlow)).toEqual(["USER_AUTH", "SELECT_CHALLENGE", "USER_AUTH", "SELECT_CHALLENGE"]);
    expect(flow()[3]!.body.ChallengeResponses).toEqual({ USERNAME, ANSWER: "PASSWORD", PASSWORD });
  });
});
