/**
 * STAND-IN, not Cognito: choice-based sign-in (`USER_AUTH`) and passkeys in front of cognito-local,
 * which implements neither (nor does moto: InvalidParameterException). It answers, in the request
 * and response shapes of the AWS Cognito API reference:
 * - InitiateAuth `USER_AUTH` (AuthParameters USERNAME, PREFERRED_CHALLENGE, PASSWORD; Session from
 *   ConfirmSignUp) → SELECT_CHALLENGE with AvailableChallenges, EMAIL_OTP / SMS_OTP
 *   (CODE_DELIVERY_DELIVERY_MEDIUM, CODE_DELIVERY_DESTINATION masked), WEB_AUTHN
 *   (CREDENTIAL_REQUEST_OPTIONS), or tokens;
 * - RespondToAuthChallenge SELECT_CHALLENGE (ANSWER, with PASSWORD or CREDENTIAL), EMAIL_OTP
 *   (EMAIL_OTP_CODE), SMS_OTP (SMS_OTP_CODE), WEB_AUTHN (CREDENTIAL: AuthenticationResponseJSON);
 * - StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials,
 *   DeleteWebAuthnCredential, GetUserAuthFactors;
 * - SignUp without a password and ConfirmSignUp returning a Session (passwordless sign-up).
 * Every other operation goes to cognito-local unchanged. Pages followed, under
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/: API_InitiateAuth.html,
 * API_RespondToAuthChallenge.html, API_StartWebAuthnRegistration.html,
 * API_CompleteWebAuthnRegistration.html, API_ListWebAuthnCredentials.html,
 * API_DeleteWebAuthnCredential.html, API_GetUserAuthFactors.html, API_SignUp.html,
 * API_ConfirmSignUp.html.
 *
 * The browser tests and the demo's Passkeys page (`npm start`) run against it, on 127.0.0.1 only.
 *
 * Codes are fixed like cognito-local's (123456). Passwords are checked by cognito-local
 * (USER_PASSWORD_AUTH). WebAuthn is checked for real by @simplewebauthn/server
 * (verifyRegistrationResponse, verifyAuthenticationResponse): a registration's client data (type,
 * challenge, origin), RP id hash, flags (user present; verified as configured), attestation
 * statement and the COSE public key in attestationObject, kept; an assertion's client data, RP id
 * hash, flags, sign count and signature against that key. Tokens are cognito-local's shape, signed
 * with cognito-local's published key, so the gate accepts them.
 *
 * Where it differs from AWS (or where AWS's pages do not say):
 * - it asks for attestation "none" and trusts no attestation root; ES256 only (pubKeyCredParams);
 * - the origin may be any http(s) origin whose host is the relying party (AWS: the RP id, or a
 *   related origin);
 * - the relying party is always `localhost`; user verification is each pool's, as `addPool` gives
 *   it (`required` in the tests and the demo) (AWS: WebAuthnConfiguration);
 * - AvailableChallenges lists PASSWORD (never PASSWORD_SRP: cognito-local has no SRP; the client's
 *   SRP inside USER_AUTH is tested in test/auth/user-auth.test.ts), then EMAIL_OTP / SMS_OTP where
 *   the user has that attribute, then WEB_AUTHN where they have a passkey; a PREFERRED_CHALLENGE the
 *   user cannot use answers SELECT_CHALLENGE;
 * - a wrong code keeps the session; a refused password or passkey ends it; sessions never expire;
 * - masked destinations imitate AWS's (`u***@e***`, `+*******0142`);
 * - SELECT_CHALLENGE answered WEB_AUTHN with a CREDENTIAL at once is refused (no challenge was
 *   issued yet): the client asks for the WEB_AUTHN challenge first;
 * - refresh tokens of its own sign-ins are answered here (REFRESH_TOKEN_AUTH); tokens carry no
 *   origin_jti, like cognito-local's, so they are not revoked;
 * - the pool's SignInPolicy (AllowedFirstAuthFactors) is not read: every factor the user has is
 *   offered;
 * - passkeys, sessions and passwordless sign-ups live in memory, gone when it stops.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyAuthenticationResponse, verifyRegistrationResponse, type WebAuthnCredential } from "@simplewebauthn/server";
import { COSEALG, cose, isoCBOR } from "@simplewebauthn/server/helpers";
import { importJWK, jwtVerify, SignJWT, type JWK } from "jose";
import { answer, CORS, forward as forwardTo, readBody } from "./json-api.ts";

const CODE = "123456";
const require = createRequire(import.meta.url);
const KEYS = require("cognito-local/lib/keys/cognitoLocal.private.json") as { jwk: JWK };
const PUBLIC = require("cognito-local/lib/keys/cognitoLocal.public.json") as { jwk: JWK };

export interface PasswordlessPool {
  readonly poolId: string;
  readonly clientId: string;
  /** WebAuthnConfiguration.UserVerification: `required` or `preferred`. */
  readonly userVerification: "required" | "preferred";
}

interface StoredPasskey {
  readonly id: string;
  /** COSE_Key, from the registration's attestationObject. */
  readonly publicKey: WebAuthnCredential["publicKey"];
  counter: number;
  readonly name: string;
  readonly createdAt: number;
  readonly attachment: string | undefined;
  readonly transports: string[];
}

interface SignInSession {
  readonly pool: PasswordlessPool;
  readonly username: string;
  readonly sub: string;
  readonly available: string[];
  /** What the session waits for. */
  challenge: string;
  webauthnChallenge?: string;
}

export interface PasswordlessStandIn {
  readonly endpoint: string;
  /** Operations answered here, in order (`InitiateAuth:USER_AUTH`, `RespondToAuthChallenge:EMAIL_OTP` …). */
  readonly calls: string[];
  addPool(pool: PasswordlessPool): void;
  /** Passkeys registered for `sub` (ids only). */
  passkeys(sub: string): string[];
  /** Registers a passkey whose private key no authenticator holds (for a page that cannot run WebAuthn). */
  seedPasskey(sub: string): void;
  stop(): Promise<void>;
}

class Refusal {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly message: string,
  ) {}
}

const refuse = (type: string, message: string, status = 400): never => {
  throw new Refusal(status, type, message);
};

/** A P-256 key as a COSE_Key (RFC 9053 §7.1.1), like the one an authenticator registers. */
function coseKey(): WebAuthnCredential["publicKey"] {
  const { x, y } = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [cose.COSEKEYS.kty, cose.COSEKTY.EC2],
      [cose.COSEKEYS.alg, COSEALG.ES256],
      [cose.COSEKEYS.crv, cose.COSECRV.P256],
      [cose.COSEKEYS.x, Buffer.from(x!, "base64url")],
      [cose.COSEKEYS.y, Buffer.from(y!, "base64url")],
    ]),
  );
}

function mask(attribute: "email" | "phone_number", value: string): string {
  if (attribute === "phone_number") return `+${"*".repeat(Math.max(0, value.length - 5))}${value.slice(-4)}`;
  const [local = "", domain = ""] = value.split("@");
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}



export interface StandInOptions {
  /** Default: a free port. Always on 127.0.0.1. */
  port?: number;
}

/** Starts the stand-in in front of cognito-local at `upstream`; `addPool` names the app clients it serves. */
export async function startPasswordlessStandIn(upstream: string, options: StandInOptions = {}): Promise<PasswordlessStandIn> {
  // The WebAuthn relying party: Chromium refuses WebAuthn on an IP address.
  const rpId = "localhost";
  const pools = new Map<string, PasswordlessPool>();
  const sessions = new Map<string, SignInSession>();
  const passkeys = new Map<string, StoredPasskey[]>();
  const registrations = new Map<string, string>();
  const refreshTokens = new Map<string, { pool: PasswordlessPool; username: string; sub: string }>();
  /** Users signed up here without a password: they have no PASSWORD factor. */
  const passwordless = new Set<string>();
  /** ConfirmSignUp sessions: session → pool client and username. */
  const signUpSessions = new Map<string, { clientId: string; username: string }>();
  const calls: string[] = [];
  const privateKey = await importJWK(KEYS.jwk, "RS256");
  const publicKey = await importJWK(PUBLIC.jwk, "RS256");
  const issuerBase = upstream.replace(/\/$/, "");

  const forward = (target: string, body: unknown) => forwardTo(upstream, target, JSON.stringify(body));

  async function upstreamCall(operation: string, body: unknown): Promise<any> {
    const { status, json } = await forward(`AWSCognitoIdentityProviderService.${operation}`, body);
    if (status !== 200) refuse(String(json.__type ?? "InternalErrorException"), String(json.message ?? ""), status);
    return json;
  }

  function poolOf(clientId: unknown): PasswordlessPool {
    return pools.get(String(clientId)) ?? refuse("ResourceNotFoundException", "User pool client does not exist.");
  }

  async function userOf(pool: PasswordlessPool, username: string) {
    const user = await upstreamCall("AdminGetUser", { UserPoolId: pool.poolId, Username: username }).catch((failure) => {
      if (failure instanceof Refusal && failure.type === "UserNotFoundException") refuse("UserNotFoundException", "User does not exist.");
      throw failure;
    });
    const attributes: Record<string, string> = Object.fromEntries((user.UserAttributes ?? []).map((a: { Name: string; Value: string }) => [a.Name, a.Value]));
    return { username: String(user.Username), sub: attributes["sub"] ?? "", attributes, confirmed: user.UserStatus !== "UNCONFIRMED" };
  }

  /** Tokens of cognito-local's shape (tokenGenerator.js), signed with its key. */
  async function tokens(pool: PasswordlessPool, username: string, sub: string, attributes: Record<string, string>) {
    const { Groups = [] } = await upstreamCall("AdminListGroupsForUser", { UserPoolId: pool.poolId, Username: username });
    const groups: string[] = Groups.map((group: { GroupName: string }) => group.GroupName);
    // Like cognito-local's and Cognito's: the claim only for a member of some group.
    const inGroups = groups.length ? { "cognito:groups": groups } : {};
    const now = Math.floor(Date.now() / 1000);
    const issuer = `${issuerBase}/${pool.poolId}`;
    const eventId = randomUUID();
    const sign = (claims: Record<string, unknown>, audience?: string) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "CognitoLocal" }).setIssuer(issuer).setIssuedAt(now).setExpirationTime(now + 3600);
      return (audience ? jwt.setAudience(audience) : jwt).sign(privateKey);
    };
    const AccessToken = await sign({ auth_time: now, client_id: pool.clientId, event_id: eventId, jti: randomUUID(), scope: "aws.cognito.signin.user.admin", sub, token_use: "access", username, ...inGroups });
    const IdToken = await sign(
      { "cognito:username": username, auth_time: now, email: attributes["email"], email_verified: attributes["email_verified"] === "true", event_id: eventId, jti: randomUUID(), sub, token_use: "id", ...inGroups },
      pool.clientId,
    );
    const RefreshToken = randomBytes(32).toString("base64url");
    refreshTokens.set(RefreshToken, { pool, username, sub });
    return { AccessToken, IdToken, RefreshToken, ExpiresIn: 3600, TokenType: "Bearer" };
  }

  async function signedIn(session: SignInSession) {
    const user = await userOf(session.pool, session.username);
    return { ChallengeParameters: {}, AuthenticationResult: await tokens(session.pool, user.username, user.sub, user.attributes) };
  }

  /** The user behind an access token this stand-in or cognito-local issued. */
  async function caller(accessToken: unknown) {
    try {
      const { payload } = await jwtVerify(String(accessToken), publicKey);
      if (payload["token_use"] !== "access") throw new Error("not an access token");
      const pool = poolOf(payload["client_id"]);
      return { pool, username: String(payload["username"]), sub: String(payload["sub"]) };
    } catch (failure) {
      if (failure instanceof Refusal) throw failure;
      return refuse("NotAuthorizedException", "Invalid Access Token");
    }
  }

  function newSession(session: SignInSession, challenge: string): string {
    const id = randomBytes(24).toString("base64url");
    session.challenge = challenge;
    sessions.set(id, session);
    return id;
  }

  /** Asks for one factor: a code sent, or a passkey challenge. */
  function challengeFor(session: SignInSession, factor: string, attributes: Record<string, string>) {
    if (factor === "EMAIL_OTP" || factor === "SMS_OTP") {
      const attribute = factor === "EMAIL_OTP" ? "email" : "phone_number";
      return {
        ChallengeName: factor,
        Session: newSession(session, factor),
        ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: factor === "EMAIL_OTP" ? "EMAIL" : "SMS", CODE_DELIVERY_DESTINATION: mask(attribute, attributes[attribute] ?? "") },
      };
    }
    session.webauthnChallenge = randomBytes(32).toString("base64url");
    const options = {
      challenge: session.webauthnChallenge,
      timeout: 180000,
      rpId,
      allowCredentials: (passkeys.get(session.sub) ?? []).map((passkey) => ({ id: passkey.id, type: "public-key", transports: passkey.transports })),
      userVerification: session.pool.userVerification,
    };
    return { ChallengeName: "WEB_AUTHN", Session: newSession(session, "WEB_AUTHN"), ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) } };
  }

  /**
   * The page's origin, read from the client data, when its host is the relying party: the library
   * wants the expected origin spelled out, and the page's port is not known here.
   */
  function originOf(credential: any): string {
    try {
      const { origin } = JSON.parse(Buffer.from(String(credential.response.clientDataJSON), "base64url").toString("utf8"));
      if (new URL(origin).hostname === rpId) return String(origin);
    } catch {
      // refused below
    }
    return refuse("NotAuthorizedException", "WebAuthn origin does not match the relying party.");
  }

  /** The library's verdict, or a refusal carrying its reason. */
  async function verified<T extends { verified: boolean }>(verification: Promise<T>): Promise<T & { verified: true }> {
    const result = await verification.catch((failure: Error) => refuse("NotAuthorizedException", `WebAuthn response refused: ${failure.message}`));
    return result.verified ? (result as T & { verified: true }) : refuse("NotAuthorizedException", "WebAuthn response refused.");
  }

  /** Verifies an AuthenticationResponseJSON for the session's user. */
  async function verifyAssertion(session: SignInSession, raw: unknown): Promise<void> {
    let credential: any;
    try {
      credential = JSON.parse(String(raw));
    } catch {
      refuse("InvalidParameterException", "CREDENTIAL is not JSON.");
    }
    const stored = (passkeys.get(session.sub) ?? []).find((passkey) => passkey.id === credential?.id);
    if (!stored || !session.webauthnChallenge) return refuse("NotAuthorizedException", "Unknown credential or no challenge issued.");
    const { authenticationInfo } = await verified(
      verifyAuthenticationResponse({
        response: credential,
        expectedChallenge: session.webauthnChallenge,
        expectedOrigin: originOf(credential),
        expectedRPID: rpId,
        credential: { id: stored.id, publicKey: stored.publicKey, counter: stored.counter, transports: stored.transports },
        requireUserVerification: session.pool.userVerification === "required",
      }),
    );
    stored.counter = authenticationInfo.newCounter;
  }

  async function factorsOf(pool: PasswordlessPool, username: string, sub: string, attributes: Record<string, string>): Promise<string[]> {
    return [
      ...(passwordless.has(`${pool.poolId}/${username}`) ? [] : ["PASSWORD"]),
      ...(attributes["email"] ? ["EMAIL_OTP"] : []),
      ...(attributes["phone_number"] ? ["SMS_OTP"] : []),
      ...((passkeys.get(sub)?.length ?? 0) > 0 ? ["WEB_AUTHN"] : []),
    ];
  }

  async function passwordSignIn(pool: PasswordlessPool, username: string, password: unknown) {
    const { status, json } = await forward("AWSCognitoIdentityProviderService.InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: pool.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: String(password ?? "") },
    });
    if (status !== 200) refuse(json.__type === "InvalidPasswordException" ? "NotAuthorizedException" : String(json.__type), "Incorrect username or password.", status);
    return json;
  }

  const operations: Record<string, (input: any) => Promise<unknown> | undefined> = {
    InitiateAuth(input) {
      if (input.AuthFlow === "REFRESH_TOKEN_AUTH" && refreshTokens.has(input.AuthParameters?.REFRESH_TOKEN)) {
        const held = refreshTokens.get(input.AuthParameters.REFRESH_TOKEN)!;
        return userOf(held.pool, held.username).then(async (user) => {
          const { AccessToken, IdToken } = await tokens(held.pool, user.username, user.sub, user.attributes);
          return { ChallengeParameters: {}, AuthenticationResult: { AccessToken, IdToken, ExpiresIn: 3600, TokenType: "Bearer" } };
        });
      }
      if (input.AuthFlow !== "USER_AUTH") return undefined;
      return (async () => {
        const pool = poolOf(input.ClientId);
        const user = await userOf(pool, String(input.AuthParameters?.USERNAME ?? ""));
        if (typeof input.Session === "string") {
          const signUp = signUpSessions.get(input.Session);
          if (!signUp || signUp.clientId !== pool.clientId || signUp.username !== user.username) refuse("NotAuthorizedException", "Invalid session for the user.");
          signUpSessions.delete(input.Session);
          return { ChallengeParameters: {}, AuthenticationResult: await tokens(pool, user.username, user.sub, user.attributes) };
        }
        if (!user.confirmed) refuse("UserNotConfirmedException", "User is not confirmed.");
        const available = await factorsOf(pool, user.username, user.sub, user.attributes);
        const session: SignInSession = { pool, username: user.username, sub: user.sub, available, challenge: "" };
        const preferred = input.AuthParameters?.PREFERRED_CHALLENGE;
        if (preferred === "PASSWORD" && available.includes("PASSWORD")) return passwordSignIn(pool, user.username, input.AuthParameters?.PASSWORD);
        if (typeof preferred === "string" && preferred !== "PASSWORD" && available.includes(preferred)) return challengeFor(session, preferred, user.attributes);
        return { ChallengeName: "SELECT_CHALLENGE", Session: newSession(session, "SELECT_CHALLENGE"), ChallengeParameters: {}, AvailableChallenges: available };
      })();
    },
    RespondToAuthChallenge(input) {
      const session = typeof input.Session === "string" ? sessions.get(input.Session) : undefined;
      if (!session) return undefined;
      return (async () => {
        const responses = input.ChallengeResponses ?? {};
        if (input.ChallengeName !== session.challenge) refuse("InvalidParameterException", "Challenge does not match the session.");
        if (session.challenge === "SELECT_CHALLENGE") {
          const answer = String(responses.ANSWER ?? "");
          if (!session.available.includes(answer)) refuse("InvalidParameterException", "ANSWER is not one of AvailableChallenges.");
          sessions.delete(input.Session);
          if (answer === "PASSWORD") return passwordSignIn(session.pool, session.username, responses.PASSWORD);
          if (answer === "WEB_AUTHN" && responses.CREDENTIAL) {
            await verifyAssertion(session, responses.CREDENTIAL);
            return signedIn(session);
          }
          const user = await userOf(session.pool, session.username);
          return challengeFor(session, answer, user.attributes);
        }
        if (session.challenge === "EMAIL_OTP" || session.challenge === "SMS_OTP") {
          // A wrong code keeps the session (the user may try again), like Cognito's.
          if (responses[`${session.challenge}_CODE`] !== CODE) refuse("CodeMismatchException", "Invalid code received for user");
          sessions.delete(input.Session);
          return signedIn(session);
        }
        sessions.delete(input.Session);
        await verifyAssertion(session, responses.CREDENTIAL);
        return signedIn(session);
      })();
    },
    async StartWebAuthnRegistration(input) {
      const user = await caller(input.AccessToken);
      const challenge = randomBytes(32).toString("base64url");
      registrations.set(user.sub, challenge);
      return {
        CredentialCreationOptions: {
          challenge,
          rp: { id: rpId, name: "cognito-elements stand-in" },
          user: { id: Buffer.from(user.sub).toString("base64url"), name: user.username, displayName: user.username },
          pubKeyCredParams: [{ type: "public-key", alg: -7 }],
          timeout: 180000,
          excludeCredentials: (passkeys.get(user.sub) ?? []).map((passkey) => ({ id: passkey.id, type: "public-key" })),
          authenticatorSelection: { residentKey: "required", userVerification: user.pool.userVerification },
          attestation: "none",
        },
      };
    },
    async CompleteWebAuthnRegistration(input) {
      const user = await caller(input.AccessToken);
      const credential = input.Credential ?? refuse("InvalidParameterException", "Credential is required.");
      const challenge = registrations.get(user.sub) ?? refuse("NotAuthorizedException", "No registration was started.");
      registrations.delete(user.sub);
      const { registrationInfo } = await verified(
        verifyRegistrationResponse({
          response: credential,
          expectedChallenge: challenge,
          expectedOrigin: originOf(credential),
          expectedRPID: rpId,
          requireUserVerification: user.pool.userVerification === "required",
          supportedAlgorithmIDs: [COSEALG.ES256],
        }),
      );
      const list = passkeys.get(user.sub) ?? [];
      list.push({
        id: registrationInfo.credential.id,
        publicKey: registrationInfo.credential.publicKey,
        counter: registrationInfo.credential.counter,
        name: "Passkey",
        createdAt: Math.floor(Date.now() / 1000),
        attachment: credential.authenticatorAttachment,
        transports: registrationInfo.credential.transports ?? [],
      });
      passkeys.set(user.sub, list);
      return {};
    },
    async ListWebAuthnCredentials(input) {
      const user = await caller(input.AccessToken);
      return {
        Credentials: (passkeys.get(user.sub) ?? []).map((passkey) => ({
          CredentialId: passkey.id,
          FriendlyCredentialName: passkey.name,
          RelyingPartyId: rpId,
          ...(passkey.attachment ? { AuthenticatorAttachment: passkey.attachment } : {}),
          AuthenticatorTransports: passkey.transports,
          CreatedAt: passkey.createdAt,
        })),
      };
    },
    async DeleteWebAuthnCredential(input) {
      const user = await caller(input.AccessToken);
      const list = passkeys.get(user.sub) ?? [];
      if (!list.some((passkey) => passkey.id === input.CredentialId)) refuse("ResourceNotFoundException", "Credential not found.");
      passkeys.set(
        user.sub,
        list.filter((passkey) => passkey.id !== input.CredentialId),
      );
      return {};
    },
    async GetUserAuthFactors(input) {
      const user = await caller(input.AccessToken);
      const found = await userOf(user.pool, user.username);
      const factors = await factorsOf(user.pool, found.username, found.sub, found.attributes);
      return { Username: found.username, ConfiguredUserAuthFactors: factors, UserMFASettingList: [] };
    },
    SignUp(input) {
      if (typeof input.Password === "string" || !pools.has(String(input.ClientId))) return undefined;
      // cognito-local needs a password: one nobody knows, and the user gets no PASSWORD factor.
      const pool = poolOf(input.ClientId);
      passwordless.add(`${pool.poolId}/${input.Username}`);
      return upstreamCall("SignUp", { ...input, Password: `${randomBytes(18).toString("base64url")}aA1!` });
    },
    ConfirmSignUp(input) {
      if (!pools.has(String(input.ClientId))) return undefined;
      return (async () => {
        const answer = await upstreamCall("ConfirmSignUp", input);
        const pool = poolOf(input.ClientId);
        const user = await userOf(pool, String(input.Username));
        const Session = randomBytes(24).toString("base64url");
        signUpSessions.set(Session, { clientId: pool.clientId, username: user.username });
        return { ...answer, Session };
      })();
    },
  };

  const server = createServer(async (request, response) => {
    if (request.method === "OPTIONS") return void response.writeHead(204, CORS).end();
    const body = await readBody(request);
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.split(".").pop() ?? "";
    try {
      const input = body ? JSON.parse(body) : {};
      const handled = operations[operation]?.(input);
      if (handled) {
        const label = operation === "InitiateAuth" ? `InitiateAuth:${input.AuthFlow}` : operation === "RespondToAuthChallenge" ? `RespondToAuthChallenge:${input.ChallengeName}` : operation;
        calls.push(label);
        return answer(response, 200, await handled);
      }
      const forwarded = await forward(target, input);
      answer(response, forwarded.status, forwarded.json);
    } catch (failure) {
      if (failure instanceof Refusal) return answer(response, failure.status, { __type: failure.type, message: failure.message });
      answer(response, 500, { __type: "InternalErrorException", message: "stand-in failed" });
      process.stderr.write(`passwordless stand-in: ${String((failure as Error)?.stack ?? failure)}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/`,
    calls,
    addPool: (pool) => pools.set(pool.clientId, pool),
    passkeys: (sub) => (passkeys.get(sub) ?? []).map((passkey) => passkey.id),
    seedPasskey(sub) {
      const list = passkeys.get(sub) ?? [];
      list.push({ id: randomBytes(16).toString("base64url"), publicKey: coseKey(), counter: 0, name: "Seeded", createdAt: Math.floor(Date.now() / 1000), attachment: undefined, transports: ["internal"] });
      passkeys.set(sub, list);
    },
    stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // a browser's keep-alive connection must not hold up Ctrl-C
      return closed;
    },
  };
}
