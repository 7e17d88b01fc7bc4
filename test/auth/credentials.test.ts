/**
 * Identity-pool credentials (components/auth/credentials.ts) against a real moto_server: its user
 * pool signs the user in, its cognito-identity serves GetId and GetCredentialsForIdentity, and its
 * S3 takes the signed requests. cognito-local stands in as the user pool where an ID token must
 * expire before its access token (moto gives every token an hour).
 *
 * What moto does not check, so these tests assert what the client sends instead:
 * - it does not verify the ID token in `Logins` against the user pool (any string passes), nor
 *   that the identity pool lists that user pool;
 * - GetId ignores AllowUnauthenticatedIdentities (a guest always gets an identity), so the refusal
 *   of guests, like the other AWS answers moto never gives, comes from a small stand-in below;
 * - GetCredentialsForIdentity returns the same static keys to everyone, lasting 90 seconds;
 * - S3 verifies neither the SigV4 signature nor the access key.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AwsClient } from "aws4fetch";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AuthClient, AuthError, authStore, ConfigError, configure, MemoryStorage, parseConfig } from "../../components/auth/index.ts";
import { identityEndpoint } from "../../components/auth/credentials.ts";
import { getAwsCredentials, IdentityCredentials, REFRESH_MARGIN_SECONDS, type AwsCredentials } from "../../components/credentials.ts";
import { startCognitoLocal, type CognitoLocal } from "../../dev/cognito-local.ts";
import { MOTO_REGION, startMoto, type Moto, type TestPool, type TestUser } from "../../dev/moto.ts";

interface Sent {
  readonly target: string;
  readonly body: Record<string, any>;
}

/** Every cognito-identity request sent while `work` runs (the client uses the global fetch). */
async function identityCalls<T>(work: () => Promise<T>): Promise<{ result: T; sent: Sent[] }> {
  const original = globalThis.fetch;
  const sent: Sent[] = [];
  globalThis.fetch = (input, init) => {
    const target = new Headers(init?.headers).get("x-amz-target") ?? "";
    if (target.startsWith("AWSCognitoIdentityService.")) sent.push({ target: target.split(".")[1]!, body: JSON.parse(String(init?.body)) });
    return original(input, init);
  };
  try {
    return { result: await work(), sent };
  } finally {
    globalThis.fetch = original;
  }
}

const targets = (sent: Sent[]) => sent.map((s) => s.target);

/** Nothing of the token or the keys in an error's text. */
function expectNoSecrets(error: unknown, ...secrets: string[]): void {
  const text = `${String(error)} ${JSON.stringify(error)}`;
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe("identity-pool credentials against moto_server", () => {
  let moto: Moto;
  let pool: TestPool;
  let identityPoolId: string;
  let provider: string;

  beforeAll(async () => {
    moto = await startMoto();
    pool = await moto.createPool();
    provider = `cognito-idp.${MOTO_REGION}.amazonaws.com/${pool.poolId}`;
    ({ IdentityPoolId: identityPoolId } = await moto.callIdentity<{ IdentityPoolId: string }>("CreateIdentityPool", {
      IdentityPoolName: "files",
      AllowUnauthenticatedIdentities: true,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: pool.clientId }],
    }));
  });
  afterAll(() => moto?.stop());

  function clientFor(options: { identityPoolId?: string; identityEndpoint?: string } = {}): AuthClient {
    const config = parseConfig({
      poolId: pool.poolId,
      clientId: pool.clientId,
      endpoint: moto.endpoint,
      authFlow: "USER_PASSWORD_AUTH",
      identityPoolId,
      identityEndpoint: moto.endpoint,
      ...options,
    });
    return new AuthClient(config, { storage: new MemoryStorage() });
  }

  async function signedIn(user?: TestUser): Promise<{ client: AuthClient; user: TestUser }> {
    user ??= await pool.createUser();
    const client = clientFor();
    expect(await client.signIn(user.username, user.password)).toEqual({ kind: "signed-in" });
    return { client, user };
  }

  async function identitiesOfPool(): Promise<string[]> {
    const { Identities } = await moto.callIdentity<{ Identities: Array<{ IdentityId: string }> }>("ListIdentities", { IdentityPoolId: identityPoolId, MaxResults: 60 });
    return Identities.map((identity) => identity.IdentityId);
  }

  function expectCredentials(credentials: AwsCredentials): void {
    expect(Object.keys(credentials).sort()).toEqual(["accessKeyId", "expiration", "identityId", "secretAccessKey", "sessionToken"]);
    expect(credentials.accessKeyId).toMatch(/\S/);
    expect(credentials.secretAccessKey).toMatch(/\S/);
    expect(credentials.sessionToken).toMatch(/\S/);
    expect(credentials.expiration).toBeInstanceOf(Date);
    expect(credentials.expiration.getTime()).toBeGreaterThan(Date.now());
  }

  it("gives a signed-in user credentials for an identity of the pool, sending the ID token under the user pool's Logins key", async () => {
    const { client } = await signedIn();
    const idToken = await client.idToken();
    const { result: credentials, sent } = await identityCalls(() => new IdentityCredentials(client).get());
    expectCredentials(credentials);
    expect(targets(sent)).toEqual(["GetId", "GetCredentialsForIdentity"]);
    expect(sent[0]!.body).toEqual({ IdentityPoolId: identityPoolId, Logins: { [provider]: idToken } });
    expect(sent[1]!.body).toEqual({ IdentityId: credentials.identityId, Logins: { [provider]: idToken } });
    // moto takes any string as the ID token: that the pool trusts this one is for AWS to check.
    expect(credentials.identityId.startsWith(`${MOTO_REGION}:`)).toBe(true);
    expect(await identitiesOfPool()).toContain(credentials.identityId);
  });

  it("gives a guest credentials when the pool allows guests, with no Logins", async () => {
    const { result: credentials, sent } = await identityCalls(() => new IdentityCredentials(clientFor()).get());
    expectCredentials(credentials);
    expect(sent.map((s) => s.body)).toEqual([{ IdentityPoolId: identityPoolId }, { IdentityId: credentials.identityId }]);
    expect(await identitiesOfPool()).toContain(credentials.identityId);
  });

  it("keeps each user's identity id apart: a guest's is never sent with a user's token", async () => {
    const { client } = await signedIn();
    const credentials = new IdentityCredentials(client);
    const user = await credentials.get();
    await client.signOut();
    const { result: guest, sent } = await identityCalls(() => credentials.get());
    expect(targets(sent)).toEqual(["GetId", "GetCredentialsForIdentity"]);
    expect(sent[0]!.body).not.toHaveProperty("Logins");
    expect(guest.identityId).not.toBe(user.identityId);
  });

  it("keeps credentials until five minutes before Expiration, then asks again for the same identity", async () => {
    const { client } = await signedIn();
    // moto's credentials last 90 s, inside the margin: the clock is set back so they are not yet near expiry.
    let now = Date.now() - 10 * 60_000;
    const credentials = new IdentityCredentials(client, { now: () => now });
    const { result: first, sent: fetched } = await identityCalls(() => credentials.get());
    expect(targets(fetched)).toEqual(["GetId", "GetCredentialsForIdentity"]);

    now = first.expiration.getTime() - (REFRESH_MARGIN_SECONDS + 1) * 1000;
    const { result: cached, sent: none } = await identityCalls(() => credentials.get());
    expect(none).toEqual([]);
    expect(cached).toEqual(first);

    now = first.expiration.getTime() - (REFRESH_MARGIN_SECONDS - 1) * 1000;
    const { result: renewed, sent: again } = await identityCalls(() => credentials.get());
    expect(targets(again)).toEqual(["GetCredentialsForIdentity"]);
    expect(renewed.identityId).toBe(first.identityId);
  });

  it("makes one request for two concurrent calls, and both get the same credentials", async () => {
    const { client } = await signedIn();
    // Set back, so the last get() below is served from the cache (moto's credentials last 90 s).
    const credentials = new IdentityCredentials(client, { now: () => Date.now() - 10 * 60_000 });
    const { result, sent } = await identityCalls(() => Promise.all([credentials.get(), credentials.get()]));
    expect(targets(sent)).toEqual(["GetId", "GetCredentialsForIdentity"]);
    expect(result[0]).toEqual(result[1]);
    // Each caller has its own copy: changing one changes neither the other nor the cache.
    expect(result[0]).not.toBe(result[1]);
    (result[0] as { accessKeyId: string }).accessKeyId = "changed";
    result[0].expiration.setTime(0);
    expect(result[1].accessKeyId).not.toBe("changed");
    expect((await credentials.get()).expiration.getTime()).toBe(result[1].expiration.getTime());
  });

  it("does not keep an answer that arrives after clear() (a sign-out while the request was in flight)", async () => {
    const { client } = await signedIn();
    // Set back, so a kept answer would be served from the cache (moto's last 90 s).
    const credentials = new IdentityCredentials(client, { now: () => Date.now() - 10 * 60_000 });
    const { sent } = await identityCalls(async () => {
      const inFlight = credentials.get();
      credentials.clear();
      await inFlight;
      await credentials.get();
    });
    expect(targets(sent)).toEqual(["GetId", "GetCredentialsForIdentity", "GetCredentialsForIdentity"]);
  });

  it("signs a real request to moto's S3 with aws4fetch, carrying the access key and session token", async () => {
    const credentials = await new IdentityCredentials((await signedIn()).client).get();
    const bucket = `files-${Date.now()}`;
    const aws = new AwsClient({ ...credentials, service: "s3", region: MOTO_REGION });
    expect((await aws.fetch(`${moto.endpoint}${bucket}`, { method: "PUT" })).status).toBe(200);
    const put = await aws.sign(`${moto.endpoint}${bucket}/${credentials.identityId}/hello.txt`, { method: "PUT", body: "hello" });
    expect(put.headers.get("authorization")).toContain(`Credential=${credentials.accessKeyId}/`);
    expect(put.headers.get("x-amz-security-token")).toBe(credentials.sessionToken);
    expect((await fetch(put)).status).toBe(200);
    const listed = await (await aws.fetch(`${moto.endpoint}${bucket}?list-type=2`)).text();
    expect(listed).toContain(`<Key>${credentials.identityId}/hello.txt</Key>`);
  });

  describe("the page's getAwsCredentials, bound to authStore", () => {
    afterEach(async () => {
      await authStore.client?.signOut();
      vi.useRealTimers();
    });

    function configurePage(): AuthClient {
      return configure({
        poolId: pool.poolId,
        clientId: pool.clientId,
        endpoint: moto.endpoint,
        authFlow: "USER_PASSWORD_AUTH",
        storage: "memory",
        identityPoolId,
        identityEndpoint: moto.endpoint,
      });
    }

    it("is a credential provider for the AWS SDK v3 as it is: S3Client puts and lists with the user's credentials", async () => {
      const user = await pool.createUser();
      await configurePage().signIn(user.username, user.password);
      const s3 = new S3Client({ region: MOTO_REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials: getAwsCredentials });
      const signedWith: string[] = [];
      s3.middlewareStack.add(
        (next) => async (args) => {
          signedWith.push(String((args.request as { headers: Record<string, string> }).headers["authorization"]));
          return next(args);
        },
        { step: "deserialize" },
      );
      const bucket = `sdk-${Date.now()}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const { identityId, accessKeyId } = await getAwsCredentials();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${identityId}/notes.txt`, Body: "notes" }));
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${identityId}/` }));
      expect(listed.Contents?.map((object) => object.Key)).toEqual([`${identityId}/notes.txt`]);
      expect(signedWith).toHaveLength(3);
      for (const header of signedWith) expect(header).toContain(`Credential=${accessKeyId}/`);
      // The credentials object itself works too (the SDK adds `$source` to it).
      const once = new S3Client({ region: MOTO_REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials: await getAwsCredentials() });
      expect((await once.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${identityId}/` }))).KeyCount).toBe(1);
    });

    it("drops the credentials on sign-out and when another user signs in; keeps each user's identity id", async () => {
      // moto's credentials last 90 s, inside the five-minute margin: Date is set back so they are cached.
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 10 * 60_000 });
      const [alice, bob] = [await pool.createUser(), await pool.createUser()];
      const client = configurePage();
      await client.signIn(alice.username, alice.password);
      const { result: first, sent: fetched } = await identityCalls(() => getAwsCredentials());
      expect(targets(fetched)).toEqual(["GetId", "GetCredentialsForIdentity"]);
      expect(targets((await identityCalls(() => getAwsCredentials())).sent)).toEqual([]);

      await client.signOut();
      await client.signIn(alice.username, alice.password);
      const { result: again, sent: afterSignOut } = await identityCalls(() => getAwsCredentials());
      expect(targets(afterSignOut)).toEqual(["GetCredentialsForIdentity"]);
      expect(again.identityId).toBe(first.identityId);

      await client.signIn(bob.username, bob.password);
      const { result: other, sent: afterSwitch } = await identityCalls(() => getAwsCredentials());
      expect(targets(afterSwitch)).toEqual(["GetId", "GetCredentialsForIdentity"]);
      expect(other.identityId).not.toBe(first.identityId);
    });

    it("rejects with a ConfigError naming identityPoolId when none is configured", async () => {
      configure({ poolId: pool.poolId, clientId: pool.clientId, endpoint: moto.endpoint, storage: "memory" });
      const error = await getAwsCredentials().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ setting: "identityPoolId", problem: "missing" });
    });
  });

  it("does not refuse a guest when the pool disallows guests (a moto gap: the stand-in below covers AWS's answer)", async () => {
    const { IdentityPoolId } = await moto.callIdentity<{ IdentityPoolId: string }>("CreateIdentityPool", {
      IdentityPoolName: "members",
      AllowUnauthenticatedIdentities: false,
    });
    const guest = await new IdentityCredentials(clientFor({ identityPoolId: IdentityPoolId })).get();
    expect(guest.identityId.startsWith(`${MOTO_REGION}:`)).toBe(true);
  });
});

describe("identity-pool credentials with a user pool on cognito-local, which honours IdTokenValidity", () => {
  let cognito: CognitoLocal;
  let moto: Moto;

  beforeAll(async () => {
    [cognito, moto] = await Promise.all([startCognitoLocal(), startMoto()]);
  });
  afterAll(() => Promise.all([cognito?.stop(), moto?.stop()]));

  it("refreshes an ID token that expires sooner than the access token before sending it in Logins", async () => {
    // A minute is the least the client sends a token with; this app client's ID token lasts 30 s.
    const pool = await cognito.createPool({ client: { AccessTokenValidity: 3600, IdTokenValidity: 30 } });
    const { IdentityPoolId } = await moto.callIdentity<{ IdentityPoolId: string }>("CreateIdentityPool", {
      IdentityPoolName: "short_id_tokens",
      AllowUnauthenticatedIdentities: false,
    });
    const user = await pool.createUser();
    const config = parseConfig({
      poolId: pool.poolId,
      clientId: pool.clientId,
      endpoint: cognito.endpoint,
      authFlow: "USER_PASSWORD_AUTH",
      identityPoolId: IdentityPoolId,
      identityEndpoint: moto.endpoint,
    });
    const client = new AuthClient(config, { storage: new MemoryStorage() });
    await client.signIn(user.username, user.password);
    const before = await client.idToken(0);

    const refreshes: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      const target = new Headers(init?.headers).get("x-amz-target") ?? "";
      if (/InitiateAuth|GetTokensFromRefreshToken/.test(target)) refreshes.push(JSON.parse(String(init?.body)).AuthFlow ?? target);
      return original(input, init);
    };
    let sent: Sent[];
    try {
      ({ sent } = await identityCalls(() => new IdentityCredentials(client).get()));
    } finally {
      globalThis.fetch = original;
    }
    expect(refreshes.length).toBeGreaterThan(0);
    const login = Object.values(sent[0]!.body.Logins as Record<string, string>)[0]!;
    expect(login).not.toBe(before);
    expect(login).toBe(await client.idToken(0));
  });
});

describe("identity-pool credentials: AWS answers moto never gives, from a stand-in", () => {
  let server: Server;
  let endpoint = "";
  /** Answers by operation: status and `__type`, or a body. */
  let answers: Record<string, { status: number; body: object }> = {};
  const sent: string[] = [];

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      for await (const chunk of request) void chunk;
      const operation = String(request.headers["x-amz-target"]).split(".")[1]!;
      sent.push(operation);
      const answer = answers[operation] ?? { status: 500, body: {} };
      response.writeHead(answer.status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const IDENTITY_POOL = "eu-west-1:0f0e0d0c-0b0a-0908-0706-050403020100";
  const refused = (type: string, message: string) => ({ status: 400, body: { __type: type, message } });
  const credentialsAnswer = (identityId: string) => ({
    status: 200,
    body: { IdentityId: identityId, Credentials: { AccessKeyId: "ASIAKEY", SecretKey: "SECRET-KEY", SessionToken: "SESSION-TOKEN", Expiration: Date.now() / 1000 + 3600 } },
  });

  /** A client with no session (a guest) whose identity pool is the stand-in. */
  function guestClient(): AuthClient {
    const config = parseConfig({ poolId: "eu-west-1_Stand1n", clientId: "standinclient", identityPoolId: IDENTITY_POOL, identityEndpoint: endpoint });
    return new AuthClient(config, { storage: new MemoryStorage() });
  }

  it("refuses a guest with guests_not_allowed when the pool does not allow guests", async () => {
    answers = { GetId: refused("NotAuthorizedException", "Unauthenticated access is not supported for this identity pool.") };
    const error = await new IdentityCredentials(guestClient()).get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: "guests_not_allowed", exception: "NotAuthorizedException" });
    expect(String(error)).not.toContain("Unauthenticated access");
  });

  it("names identityPoolId when the pool does not exist", async () => {
    answers = { GetId: refused("ResourceNotFoundException", `IdentityPool '${IDENTITY_POOL}' not found.`) };
    const error = await new IdentityCredentials(guestClient()).get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ setting: "identityPoolId", problem: "invalid" });
  });

  it("asks for a new identity once when a kept one was removed from the pool", async () => {
    const credentials = new IdentityCredentials(guestClient(), { now: () => Date.now() + 3600_000 });
    answers = { GetId: { status: 200, body: { IdentityId: "eu-west-1:first" } }, GetCredentialsForIdentity: credentialsAnswer("eu-west-1:first") };
    await credentials.get();
    answers = {
      GetId: { status: 200, body: { IdentityId: "eu-west-1:second" } },
      GetCredentialsForIdentity: refused("ResourceNotFoundException", "Identity 'eu-west-1:first' not found."),
    };
    sent.length = 0;
    const error = await credentials.get().catch((caught: unknown) => caught);
    // The renewed identity is refused too here: one retry, not a loop.
    expect(sent).toEqual(["GetCredentialsForIdentity", "GetId", "GetCredentialsForIdentity"]);
    expect(error).toMatchObject({ code: "unknown", exception: "ResourceNotFoundException" });
  });

  it("reads Expiration as epoch seconds and keeps no key in an error", async () => {
    answers = { GetId: { status: 200, body: { IdentityId: "eu-west-1:seconds" } }, GetCredentialsForIdentity: credentialsAnswer("eu-west-1:seconds") };
    const credentials = await new IdentityCredentials(guestClient()).get();
    expect(Math.abs(credentials.expiration.getTime() - (Date.now() + 3600_000))).toBeLessThan(60_000);
    answers = { GetId: { status: 200, body: { IdentityId: "eu-west-1:broken" } }, GetCredentialsForIdentity: { status: 200, body: { IdentityId: "eu-west-1:broken", Credentials: { AccessKeyId: "ASIAKEY", SecretKey: "SECRET-KEY" } } } };
    const error = await new IdentityCredentials(guestClient()).get().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "unknown" });
    expectNoSecrets(error, "ASIAKEY", "SECRET-KEY");
  });
});

describe("identity-pool configuration", () => {
  const base = { poolId: "eu-west-1_AbC123", clientId: "abc123" };

  it("takes an identity pool id and its endpoint, and names each when it is invalid", () => {
    const config = parseConfig({ ...base, identityPoolId: " eu-central-1:0f0e0d0c-0b0a-0908-0706-050403020100 " });
    expect(config.identityPoolId).toBe("eu-central-1:0f0e0d0c-0b0a-0908-0706-050403020100");
    expect(config.identityEndpoint).toBeUndefined();
    for (const identityPoolId of ["eu-central-1", "0f0e0d0c-0b0a", "EU_WEST:abc", `eu-west-1:${"a".repeat(60)}`]) {
      expect(() => parseConfig({ ...base, identityPoolId }, "attributes")).toThrowError(expect.objectContaining({ setting: "identity-pool-id", problem: "invalid" }));
    }
    expect(() => parseConfig({ ...base, identityEndpoint: "http://cognito.example.com/" })).toThrowError(expect.objectContaining({ setting: "identityEndpoint", problem: "invalid" }));
  });

  it("defaults the endpoint to the identity pool's region, not the user pool's", () => {
    expect(identityEndpoint({ identityPoolId: "eu-central-1:abc", identityEndpoint: undefined })).toBe("https://cognito-identity.eu-central-1.amazonaws.com/");
  });
});
