/**
 * The amazon-cognito-identity-js code paths that touch `Buffer`, driven against a scripted
 * Cognito (no network): SRP sign-in (USER_SRP_AUTH → PASSWORD_VERIFIER), remembering the new
 * device (ConfirmDevice: salt and verifier), device SRP on the next sign-in (DEVICE_SRP_AUTH →
 * DEVICE_PASSWORD_VERIFIER), and decoding the tokens' base64url payloads. Returns every request
 * the SDK sent and every payload it decoded. test/e2e/sdk-shims.test.ts bundles this module twice,
 * with the real `buffer`/`tslib` and with components/shims/, and compares the two records.
 */
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from "amazon-cognito-identity-js";
// @ts-expect-error no declarations for the SDK's internal modules
import AuthenticationHelper from "amazon-cognito-identity-js/es/AuthenticationHelper.js";
// @ts-expect-error no declarations for the SDK's internal modules
import BigInteger from "amazon-cognito-identity-js/es/BigInteger.js";

type Reply = Record<string, unknown>;

const b64url = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A JWT-shaped token (unsigned: the SDK never verifies) whose payload needs base64url and UTF-8. */
export function token(payload: object): string {
  return `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify(payload))}.sig`;
}

// Fixed server values: a 3072-bit-group B (any non-zero value mod N), a salt, a secret block.
const SRP_B = "a1".repeat(192);
const SALT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const SECRET_BLOCK = btoa(String.fromCharCode(...Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 255)));

const claims = {
  sub: "6f2d-ü",
  username: "zoë",
  name: "日本語 🎉 ~~~???>>>",
  "custom:bytes": "ÿþ\u00ff?>",
  exp: 2_000_000_000,
  iat: 1_700_000_000,
};

class MapStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, String(value));
  removeItem = (key: string) => void this.items.delete(key);
  clear = () => this.items.clear();
}

function answer(operation: string, request: Reply): Reply {
  const challenge = request["ChallengeName"];
  const device = (request["ChallengeResponses"] as Reply | undefined)?.["DEVICE_KEY"];
  if (operation === "InitiateAuth") {
    return { ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP: "zoë" } };
  }
  // A remembered device: Cognito asks it to prove its own secret too.
  if (operation === "RespondToAuthChallenge" && challenge === "PASSWORD_VERIFIER" && device) {
    return { ChallengeName: "DEVICE_SRP_AUTH", ChallengeParameters: {} };
  }
  if (operation === "RespondToAuthChallenge" && challenge === "DEVICE_SRP_AUTH") {
    return { ChallengeName: "DEVICE_PASSWORD_VERIFIER", ChallengeParameters: { SALT, SRP_B, SECRET_BLOCK, USERNAME: "zoë" } };
  }
  if (operation === "RespondToAuthChallenge") {
    const result: Reply = { IdToken: token(claims), AccessToken: token({ ...claims, token_use: "access" }), RefreshToken: "refresh" };
    if (!device) result["NewDeviceMetadata"] = { DeviceKey: "eu-west-1_device-key", DeviceGroupKey: "-group-key" };
    return { AuthenticationResult: result };
  }
  if (operation === "ConfirmDevice") return { UserConfirmationNecessary: false };
  throw new Error(`unexpected ${operation}`);
}

function signIn(pool: CognitoUserPool, storage: MapStorage): Promise<CognitoUserSession> {
  const user = new CognitoUser({ Username: "zoë", Pool: pool, Storage: storage });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: "zoë", Password: "Pässwörd-1 🔑" }), {
      onSuccess: resolve,
      onFailure: reject,
    });
  });
}

/** Both sign-ins, in order; what the SDK sent and what it decoded. */
export async function srpFlows(): Promise<unknown[]> {
  const record: unknown[] = [];
  const storage = new MapStorage();
  const pool = new CognitoUserPool({ UserPoolId: "eu-west-1_TestPool1", ClientId: "client-id", Storage: storage });
  (pool as unknown as { client: unknown }).client = {
    request(operation: string, request: Reply, callback: (error: unknown, data?: Reply) => void) {
      record.push([operation, structuredClone(request)]);
      setTimeout(() => {
        try {
          callback(null, answer(operation, request));
        } catch (error) {
          callback(error);
        }
      });
    },
  };
  for (const round of ["password", "device"]) {
    const session = await signIn(pool, storage);
    record.push([round, session.getIdToken().decodePayload(), session.getAccessToken().getExpiration()]);
  }
  record.push(["storage", Object.fromEntries([...storage.items].sort())]);
  return record;
}

/** AuthenticationHelper alone: A, the password authentication key (HKDF), the device hash. */
export async function helperValues(): Promise<unknown[]> {
  const helper = new AuthenticationHelper("TestPool1");
  const largeA = await new Promise<{ toString(radix: number): string }>((resolve, reject) => helper.getLargeAValue((error: unknown, value: { toString(radix: number): string }) => (error ? reject(error) : resolve(value))));
  const key = await new Promise<Uint8Array>((resolve, reject) =>
    helper.getPasswordAuthenticationKey("zoë", "Pässwörd-1 🔑", new BigInteger(SRP_B, 16), new BigInteger(SALT, 16), (error: unknown, value: Uint8Array) =>
      error ? reject(error) : resolve(value),
    ),
  );
  await new Promise<void>((resolve, reject) => helper.generateHashDevice("group", "device", (error: unknown) => (error ? reject(error) : resolve())));
  return [largeA.toString(16), Array.from(key), helper.getVerifierDevices(), helper.getSaltDevices(), helper.getRandomPassword()];
}
