/**
 * Signing in: InitiateAuth, then RespondToAuthChallenge until Cognito returns tokens. Every
 * challenge Cognito can ask of a password sign-in becomes one case of `SignInResult`, so an
 * element's flow is a `switch` the compiler checks; the answer to it goes back through `respond`.
 * Shapes: the AWS Cognito API reference for InitiateAuth, RespondToAuthChallenge (and its
 * ChallengeResponseType), AssociateSoftwareToken and VerifySoftwareToken.
 *
 * Choice-based sign-in (`USER_AUTH`): InitiateAuth names the user, and Cognito answers with the
 * factor asked for in PREFERRED_CHALLENGE, or SELECT_CHALLENGE and its AvailableChallenges. A
 * factor cannot change inside one session, so switching factor starts a new InitiateAuth.
 */
import type { AuthFlow } from "./config.ts";
import { AuthError } from "./errors.ts";
import { resultOf, type AuthenticationResult } from "./session.ts";
import type * as Srp from "./srp.ts";
import type { Call } from "./transport.ts";

// SRP's math loads when a password sign-in starts: a page that only shows who is signed in never pays for it.
const srp = (): Promise<typeof Srp> => import("./srp.ts");

export type MfaType = "SOFTWARE_TOKEN_MFA" | "SMS_MFA";

/** A first factor of `USER_AUTH` (ChallengeNameType). */
export type Factor = "WEB_AUTHN" | "EMAIL_OTP" | "SMS_OTP" | "PASSWORD" | "PASSWORD_SRP";
export type OtpType = "EMAIL_OTP" | "SMS_OTP";

/** Every factor this client knows; the compiler keeps it in step with `Factor`. */
const FACTORS: Readonly<Record<Factor, true>> = { WEB_AUTHN: true, EMAIL_OTP: true, SMS_OTP: true, PASSWORD: true, PASSWORD_SRP: true };

/** Whether Cognito's `name` is a factor this client knows (others are left out). */
function isFactor(name: string): name is Factor {
  return Object.hasOwn(FACTORS, name);
}

export type SignInResult =
  | { readonly kind: "signed-in" }
  | { readonly kind: "select-factor"; readonly factors: readonly Factor[] }
  | { readonly kind: "otp"; readonly type: OtpType; readonly destination?: string }
  | { readonly kind: "passkey" }
  | { readonly kind: "new-password-required"; readonly requiredAttributes: readonly string[] }
  | { readonly kind: "mfa"; readonly type: MfaType; readonly destination?: string }
  | { readonly kind: "select-mfa"; readonly options: readonly MfaType[] }
  | { readonly kind: "mfa-setup" };

/** A challenge Cognito waits for an answer to. */
export interface Challenge {
  readonly name: string;
  readonly session: string | undefined;
  /** The USERNAME every answer must carry: Cognito's own name for the user when it gave one. */
  readonly username: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** Where a sign-in stands after one call: done, or waiting for the user. */
export type Step =
  | { readonly kind: "tokens"; readonly result: AuthenticationResult }
  | { readonly kind: "challenge"; readonly challenge: Challenge; readonly view: Exclude<SignInResult, { kind: "signed-in" }> };

interface Answer {
  readonly AuthenticationResult?: AuthenticationResult;
  readonly AvailableChallenges?: readonly string[];
  readonly ChallengeName?: string;
  readonly ChallengeParameters?: Record<string, string>;
  readonly Session?: string;
}

const MFA_TYPES: readonly MfaType[] = ["SOFTWARE_TOKEN_MFA", "SMS_MFA"];

/** `MFAS_CAN_CHOOSE`, `requiredAttributes` and the like arrive as JSON arrays inside strings. */
function jsonList(raw: string | undefined): string[] {
  try {
    const list: unknown = JSON.parse(raw ?? "[]");
    return Array.isArray(list) ? list.map(String) : [];
  } catch {
    return [];
  }
}

export function mfaTypes(raw: readonly string[]): MfaType[] {
  return MFA_TYPES.filter((type) => raw.includes(type));
}

/** Starts a sign-in with the password, answering SRP's PASSWORD_VERIFIER itself. */
export async function initiate(call: Call, pool: { clientId: string; poolId: string; authFlow: AuthFlow }, username: string, password: string): Promise<Step> {
  if (pool.authFlow === "USER_PASSWORD_AUTH") {
    const answer = await call<Answer>(
      "InitiateAuth",
      { AuthFlow: "USER_PASSWORD_AUTH", ClientId: pool.clientId, AuthParameters: { USERNAME: username, PASSWORD: password } },
      "sign-in",
    );
    return interpret(answer, username);
  }
  const start = await (await srp()).srpStart();
  const answer = await call<Answer>(
    "InitiateAuth",
    // USER_AUTH with PREFERRED_CHALLENGE PASSWORD_SRP is the same SRP exchange inside choice-based sign-in.
    pool.authFlow === "USER_AUTH"
      ? { AuthFlow: "USER_AUTH", ClientId: pool.clientId, AuthParameters: { USERNAME: username, SRP_A: start.srpA, PREFERRED_CHALLENGE: "PASSWORD_SRP" } }
      : { AuthFlow: "USER_SRP_AUTH", ClientId: pool.clientId, AuthParameters: { USERNAME: username, SRP_A: start.srpA } },
    "sign-in",
  );
  return verifyPassword(call, pool, answer, start, username, password);
}

/** Answers SRP's PASSWORD_VERIFIER (when `answer` asks for it) with the password's proof. */
async function verifyPassword(
  call: Call,
  pool: { clientId: string; poolId: string },
  answer: Answer,
  start: Srp.SrpStart,
  username: string,
  password: string,
): Promise<Step> {
  const parameters = answer.ChallengeParameters ?? {};
  if (answer.ChallengeName !== "PASSWORD_VERIFIER") return interpret(answer, username);
  // The SRP math names the user by USER_ID_FOR_SRP; the answer's USERNAME is Cognito's own name for them.
  const userIdForSrp = parameters["USER_ID_FOR_SRP"] ?? username;
  const answerAs = parameters["USERNAME"] ?? userIdForSrp;
  const { signature, timestamp } = await (await srp()).passwordVerifier({
    start,
    poolName: pool.poolId.slice(pool.poolId.indexOf("_") + 1),
    userIdForSrp,
    password,
    srpB: parameters["SRP_B"] ?? "",
    salt: parameters["SALT"] ?? "",
    secretBlock: parameters["SECRET_BLOCK"] ?? "",
  });
  const verified = await call<Answer>(
    "RespondToAuthChallenge",
    {
      ChallengeName: "PASSWORD_VERIFIER",
      ClientId: pool.clientId,
      ChallengeResponses: {
        USERNAME: answerAs,
        PASSWORD_CLAIM_SECRET_BLOCK: parameters["SECRET_BLOCK"],
        PASSWORD_CLAIM_SIGNATURE: signature,
        TIMESTAMP: timestamp,
      },
      ...(answer.Session ? { Session: answer.Session } : {}),
    },
    "sign-in",
  );
  return interpret(verified, answerAs);
}

/**
 * `USER_AUTH`, step 1: names the user. `preferred` asks for one factor at once (Cognito answers
 * SELECT_CHALLENGE when the user cannot use it); `session` is ConfirmSignUp's, which signs a user
 * who just confirmed in without a second code.
 */
export async function startChoice(call: Call, clientId: string, username: string, preferred?: Factor, session?: string): Promise<Step> {
  const answer = await call<Answer>(
    "InitiateAuth",
    {
      AuthFlow: "USER_AUTH",
      ClientId: clientId,
      AuthParameters: { USERNAME: username, ...(preferred ? { PREFERRED_CHALLENGE: preferred } : {}) },
      ...(session ? { Session: session } : {}),
    },
    "sign-in",
  );
  return interpret(answer, username);
}

/**
 * Answers SELECT_CHALLENGE with the password: by SRP where the pool offers it (the password never
 * leaves the browser), else as PASSWORD (ChallengeResponseType).
 */
export async function answerWithPassword(call: Call, pool: { clientId: string; poolId: string }, challenge: Challenge, available: readonly Factor[], password: string): Promise<Step> {
  const base = { ChallengeName: "SELECT_CHALLENGE", ClientId: pool.clientId, ...(challenge.session ? { Session: challenge.session } : {}) };
  if (!available.includes("PASSWORD_SRP")) {
    const answer = await call<Answer>(
      "RespondToAuthChallenge",
      { ...base, ChallengeResponses: { USERNAME: challenge.username, ANSWER: "PASSWORD", PASSWORD: password } },
      "sign-in",
    );
    return interpret(answer, challenge.username);
  }
  const start = await (await srp()).srpStart();
  const answer = await call<Answer>(
    "RespondToAuthChallenge",
    { ...base, ChallengeResponses: { USERNAME: challenge.username, ANSWER: "PASSWORD_SRP", SRP_A: start.srpA } },
    "sign-in",
  );
  return verifyPassword(call, pool, answer, start, challenge.username, password);
}

/** Answers `challenge` with `responses` (USERNAME is added). */
export async function respond(call: Call, clientId: string, challenge: Challenge, responses: Record<string, string>, session = challenge.session): Promise<Step> {
  const answer = await call<Answer>(
    "RespondToAuthChallenge",
    {
      ChallengeName: challenge.name,
      ClientId: clientId,
      ChallengeResponses: { USERNAME: challenge.username, ...responses },
      ...(session ? { Session: session } : {}),
    },
    // A refused passkey or wrong password reads like any failed sign-in (no account enumeration).
    challenge.name === "WEB_AUTHN" || challenge.name === "SELECT_CHALLENGE" ? "sign-in" : "other",
  );
  return interpret(answer, challenge.username);
}

/** MFA_SETUP, step 1: a TOTP secret for the user who has none yet; the challenge continues with the new session. */
export async function associateForSetup(call: Call, challenge: Challenge): Promise<{ readonly secret: string; readonly challenge: Challenge }> {
  const answer = await call<{ SecretCode?: string; Session?: string }>("AssociateSoftwareToken", { Session: challenge.session });
  if (!answer.SecretCode) throw new AuthError("unknown");
  return { secret: answer.SecretCode, challenge: { ...challenge, session: answer.Session ?? challenge.session } };
}

/** MFA_SETUP, step 2: checks the app's first code, then completes the challenge. */
export async function verifySetup(call: Call, clientId: string, challenge: Challenge, code: string): Promise<Step> {
  const answer = await call<{ Status?: string; Session?: string }>("VerifySoftwareToken", {
    Session: challenge.session,
    UserCode: code,
    FriendlyDeviceName: "cognito-elements",
  });
  if (answer.Status !== "SUCCESS") throw new AuthError("code_mismatch");
  return respond(call, clientId, challenge, {}, answer.Session ?? challenge.session);
}

/** What Cognito's answer asks for next. */
function interpret(answer: Answer, username: string): Step {
  if (answer.AuthenticationResult) return { kind: "tokens", result: resultOf(answer) };
  const parameters = answer.ChallengeParameters ?? {};
  const challenge: Challenge = {
    name: answer.ChallengeName ?? "",
    session: answer.Session,
    username: parameters["USERNAME"] ?? parameters["USER_ID_FOR_SRP"] ?? username,
    parameters,
  };
  const waitFor = (view: Extract<Step, { kind: "challenge" }>["view"]): Step => ({ kind: "challenge", challenge, view });
  switch (challenge.name) {
    case "NEW_PASSWORD_REQUIRED":
      return waitFor({
        kind: "new-password-required",
        requiredAttributes: jsonList(parameters["requiredAttributes"]).map((name) => name.replace(/^userAttributes\./, "")),
      });
    case "SMS_MFA": {
      const destination = parameters["CODE_DELIVERY_DESTINATION"];
      return waitFor({ kind: "mfa", type: "SMS_MFA", ...(destination ? { destination } : {}) });
    }
    case "SOFTWARE_TOKEN_MFA":
      return waitFor({ kind: "mfa", type: "SOFTWARE_TOKEN_MFA" });
    case "SELECT_MFA_TYPE":
      return waitFor({ kind: "select-mfa", options: mfaTypes(jsonList(parameters["MFAS_CAN_CHOOSE"])) });
    case "MFA_SETUP":
      return waitFor({ kind: "mfa-setup" });
    case "SELECT_CHALLENGE":
      // In Cognito's order; names this client does not know are left out.
      return waitFor({ kind: "select-factor", factors: (answer.AvailableChallenges ?? []).filter(isFactor) });
    case "EMAIL_OTP":
    case "SMS_OTP": {
      const destination = parameters["CODE_DELIVERY_DESTINATION"];
      return waitFor({ kind: "otp", type: challenge.name, ...(destination ? { destination } : {}) });
    }
    case "WEB_AUTHN":
      return waitFor({ kind: "passkey" });
    default:
      // CUSTOM_CHALLENGE (Lambda-defined), device challenges: no generic form; refuse clearly.
      throw new AuthError("unsupported", /^\w{1,64}$/.test(challenge.name) ? challenge.name : undefined);
  }
}

/** The ChallengeResponses key that carries an MFA code of `type`. */
export const MFA_CODE_KEY: Readonly<Record<MfaType | OtpType, string>> = {
  SMS_MFA: "SMS_MFA_CODE",
  SOFTWARE_TOKEN_MFA: "SOFTWARE_TOKEN_MFA_CODE",
  EMAIL_OTP: "EMAIL_OTP_CODE",
  SMS_OTP: "SMS_OTP_CODE",
};
