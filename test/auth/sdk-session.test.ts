/**
 * Upgrading from amazon-cognito-identity-js (or Amplify v5, which stores the same keys) keeps users
 * signed in: a session the SDK stored is restored by AuthClient, one AuthClient stored is read by
 * the SDK, and sign-out removes the SDK's keys too. The SDK is the devDependency kept as an oracle;
 * both sign in against a real cognito-local with USER_PASSWORD_AUTH (it has no SRP).
 */
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthClient, MemoryStorage, parseConfig } from "../../components/auth/index.ts";
import { startCognitoLocal, type CognitoLocal, type TestPool } from "../../dev/cognito-local.ts";

describe("sessions shared with amazon-cognito-identity-js (real cognito-local)", () => {
  let cognito: CognitoLocal;
  let pool: TestPool;

  beforeAll(async () => {
    cognito = await startCognitoLocal();
    pool = await cognito.createPool();
  });
  afterAll(() => cognito?.stop());

  const sdkPool = (storage: MemoryStorage) => new CognitoUserPool({ UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint: cognito.endpoint, Storage: storage });
  const ours = (storage: MemoryStorage) =>
    new AuthClient(parseConfig({ poolId: pool.poolId, clientId: pool.clientId, endpoint: cognito.endpoint, authFlow: "USER_PASSWORD_AUTH" }), { storage });

  async function sdkSignIn(storage: MemoryStorage, username: string, password: string): Promise<CognitoUserSession> {
    const user = new CognitoUser({ Username: username, Pool: sdkPool(storage), Storage: storage });
    user.setAuthenticationFlowType("USER_PASSWORD_AUTH");
    return new Promise((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), { onSuccess: resolve, onFailure: reject }),
    );
  }

  it("restores a session the SDK stored, with the same access token", async () => {
    const user = await pool.createUser();
    const storage = new MemoryStorage();
    const session = await sdkSignIn(storage, user.username, user.password);
    const client = ours(storage);
    expect((await client.restore())?.username).toBe(user.username);
    expect(await client.accessToken()).toBe(session.getAccessToken().getJwtToken());
  });

  it("stores a session the SDK reads as its own", async () => {
    const user = await pool.createUser();
    const storage = new MemoryStorage();
    await ours(storage).signIn(user.username, user.password);
    const current = sdkPool(storage).getCurrentUser();
    expect(current?.getUsername()).toBe(user.username);
    const session = await new Promise<CognitoUserSession | null>((resolve, reject) => current!.getSession((error: Error | null, value: CognitoUserSession | null) => (error ? reject(error) : resolve(value))));
    expect(session?.isValid()).toBe(true);
  });

  it("signs out by removing the SDK's keys too, its user-data cache included", async () => {
    const user = await pool.createUser();
    const storage = new MemoryStorage();
    await sdkSignIn(storage, user.username, user.password);
    storage.setItem(`CognitoIdentityServiceProvider.${pool.clientId}.${user.username}.userData`, "{}");
    storage.setItem("unrelated", "kept");
    const client = ours(storage);
    await client.restore();
    await client.signOut();
    expect(sdkPool(storage).getCurrentUser()).toBeNull();
    expect(storage.length).toBe(1);
    expect(storage.getItem("unrelated")).toBe("kept");
  });
});
