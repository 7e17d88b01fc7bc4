/**
 * components/auth/srp.ts against two references:
 * - amazon-cognito-identity-js (a devDependency kept as the oracle, issue 13): its
 *   AuthenticationHelper and a whole CognitoUser sign-in over a fake transport, on fixed inputs,
 *   must produce the same A, the same HKDF key, the same timestamp and the same signature;
 * - test/auth/srp-server.ts, a pool side written from the protocol, which accepts the right
 *   password and refuses a wrong one (Cognito's own check, which moto does not make).
 */
import * as sdkModule from "amazon-cognito-identity-js";
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { passwordVerifier, srpStart } from "../../components/auth/srp.ts";
import { N, SrpServer } from "./srp-server.ts";

/** The SDK's jsbn-style integer, only as far as these tests use it. */
interface SdkBigInteger {
  toString(radix: number): string;
}
interface SdkHelper {
  N: SdkBigInteger & { constructor: new (hex: string, radix: number) => SdkBigInteger };
  smallAValue: SdkBigInteger;
  largeAValue: SdkBigInteger | undefined;
  getLargeAValue(callback: (error: unknown, A: SdkBigInteger) => void): void;
  getPasswordAuthenticationKey(
    userId: string,
    password: string,
    B: SdkBigInteger,
    salt: SdkBigInteger,
    callback: (error: unknown, key: Buffer) => void,
  ): void;
}
/** AuthenticationHelper and DateHelper are exported at run time but missing from the package's types. */
interface SdkInternals {
  AuthenticationHelper: { new (poolName: string): SdkHelper; prototype: { generateRandomSmallA(): SdkBigInteger } };
  DateHelper: new () => { getNowString(): string };
}
const sdk = sdkModule as unknown as typeof sdkModule & SdkInternals;
const BigInteger = new sdk.AuthenticationHelper("probe").N.constructor;
const big = (hex: string) => new BigInteger(hex, 16);

const A_HIGH =
  "cb32d5194d7b0a61d5cc6be2d0fc671a1ae1e0899267b736627826aae32efd53bfa2ad70411ead9e35aaa67d8e779a65" +
  "48686096388c73b2a444949f91c987c96ad8f632cc7374abd7ab2b4b9382dff289a7842ded5ceffeec05958063f30a93" +
  "3bdbee8a76dcba8bead3b4163f51d4e82cd410a14605d16a3bf93e3326cbeba7";
const A_LOW =
  "15ea24e610cd8505799732963a61f6ae7eaf1fbeb1152b7e4ac50629ec5e112ac44051824765e14da82f6b6546f9e215" +
  "cbfd0d7367de1f37e7d8e5a9bd86d9838e3013f2ed1cc1549c9f3c71a521d4031451e5597747af1c7be5cc2ed9de9375" +
  "23b1ad5142b75e5062ecfd81bbc09f9470eb3167e327716427ecb51dd6cd5a64";
const B_LOW =
  "2cedaa2e2513fb47b24eb5888a78e805492cce4eb7440184bbea442f6f5a3630f5a5a50bc720fad612a7f2847442d1a0" +
  "31fd426aa3244e55c8b7a308a8fc3b7ec9ea9a8ec27aa3e1f5a97a4629c43459e0d8dae807cf4bd2ddcaef96300e7908" +
  "23119c59a4c178c504ec884817a99b4dc2314d812604c4bdb8f2a0335439526f33fb87a3d92323714b5349269214978d" +
  "c0f5a1d5cdab69ef024cc14a66c0d3e550e246003d697d4b354ec6b74828bf5f9f092f341dd38ddf3441a7a421550daa" +
  "9c15e6d8f1f243f0197e8a893549891ae1b74eb1d5ec382817baaec96a3752350ea1241175f617e63d49964d7046b9d1" +
  "5dada41c8d5eb8f069e693a78ba219e6729f536d881dab4e3aaa9bb5b4ed202d7d1e5ebaeef563aede041184c331167b" +
  "7fb20540e609fc1aca1d233fac35052cd09fbd080fda107b7d22dfcfe7ba68355b68ff9326e6e4a45b530d691a873098" +
  "fc9c33f5f8a9d6510aa0ef2d233978a91cba4154bab1f3b842f4c83a934f21eb9395f903edd4718f81e2c33b06365a3b";
const B_HIGH =
  "83f356fd85c70f1e2714222b34a7b6614531f20311e077b097ebca1903d0d5b2f5d9044476215c9a10050703261a7dea" +
  "37af9d03ba2b47165985c9a10c351988d20eb94658492055fcc83f04b1d4e1ac608a3bff97ac50b2abd907356930b8a6" +
  "0eeda8b30a8445b1a770376597240ef56bd211bd6050dcba763162897ca644320cfcef99d19c177b47f06a7496977cb6" +
  "62fe050f180f4f242e7f8ccf4541c9a37a1142274fd50c683ce9b2be36375f5cfdcb29c9bccfe0675aa2d5c02e11e4cc" +
  "1813a6d07362d24190bbb318373ce145e5b6e9a2b62b8dcbf69f4d311af6b16ccbbc8a384333bc9a837e429889ccbfc5" +
  "551e5f36596a396100714d285d384157ff6811be379e594d7777cc1fb262a55c75c55d6eea2d190471460908408a71d2" +
  "8e1adeb276ea9a85b56c8e0bb160b74e103dabe9bb9c5b12902e455a844c6745b7e1b6f7c8188e3f41dc5ea32a64035a" +
  "4019491bd0e137d35fb9ca785e56c72f04c10dba3cb8490a3194c6f4dc755d87d801656b4fb0744dea22cc1f148612fb";
const SECRET_BLOCK = Buffer.from(
  "d627b515c4a5ece0ffb11e873d631e03e9c821ac00b9e8e5b8b5f63b5d9206b33f1ced1ac9e6d0ef445370e0522f04fe",
  "hex",
).toString("base64");

interface Vector {
  name: string;
  a: bigint;
  srpB: string;
  salt: string;
  userId: string;
  password: string;
  now: Date;
}

// Each vector stresses a different encoding: padHex prefixes "00" to a value whose top bit is set,
// pads odd-length hex, drops leading zeros (the values are parsed as integers first), and writes
// negatives (a "-" the SDK's parser accepts) as two's complement, "FF8…" shortened.
const vectors: Vector[] = [
  { name: "1024-bit a, A's top bit set; B's clear; salt's set", a: BigInt(`0x${A_HIGH}`), srpB: B_LOW, salt: "ca2c99d42646abda08eff42a8e9f1230", userId: "user-1", password: "correct horse battery staple", now: new Date("2026-11-03T09:05:07Z") },
  { name: "1024-bit a with a clear top bit; B's top bit set; salt with a leading zero nibble; non-ASCII password", a: BigInt(`0x${A_LOW}`), srpB: B_HIGH, salt: "0ca49f1b1fd29de53485736cd796b3b3d", userId: "6f1c2a9e-0b7d-4b8e-9a51-3c2d1e0f9a8b", password: "pässwörd 🔑 ünïcødé", now: new Date("2027-02-28T23:59:59Z") },
  { name: "a = 7: A = 0x80, one byte with the top bit set; B and salt one short byte", a: 7n, srpB: "2", salt: "80", userId: "u", password: "p", now: new Date("2026-01-01T00:00:00Z") },
  { name: "a = 8: A = 0x100, odd-length hex; odd-length B; salt with leading zero bytes", a: 8n, srpB: "abc", salt: "0000ab", userId: "bob", password: "hunter2", now: new Date("2026-12-10T10:10:10Z") },
  { name: "a = 3071: A = 2^3071, full length with the top bit set; B above N", a: 3071n, srpB: (N + 5n).toString(16), salt: "1", userId: "carol", password: "x".repeat(200), now: new Date("2028-02-29T12:00:00Z") },
  { name: "B and salt negative (two's complement, the FF8 case)", a: BigInt(`0x${A_HIGH}`), srpB: `-${B_LOW}`, salt: "-80", userId: "dave", password: "pw", now: new Date("2026-07-04T04:04:04Z") },
  { name: "negative B with its top bit set, negative salt needing an FF byte", a: BigInt(`0x${A_LOW}`), srpB: `-${B_HIGH}`, salt: "-ec", userId: "erin", password: "pw", now: new Date("2026-07-04T04:04:04Z") },
];
const POOL = "AbCdEf123";

function promised<T>(run: (callback: (error: unknown, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));
}

/** The SDK's AuthenticationHelper with its random a replaced by the vector's. */
async function sdkHelper(v: Vector): Promise<{ A: string; key: Buffer }> {
  const helper = new sdk.AuthenticationHelper(POOL);
  helper.smallAValue = big(v.a.toString(16));
  helper.largeAValue = undefined;
  const A = await promised<SdkBigInteger>((cb) => helper.getLargeAValue(cb));
  const key = await promised<Buffer>((cb) => helper.getPasswordAuthenticationKey(v.userId, v.password, big(v.srpB), big(v.salt), cb));
  return { A: A.toString(16), key };
}

/** A whole SDK sign-in (CognitoUser.authenticateUser) over a fake transport; returns what it sent. */
async function sdkSignIn(v: Vector): Promise<{ srpA: string; responses: Record<string, string> }> {
  vi.spyOn(sdk.AuthenticationHelper.prototype, "generateRandomSmallA").mockReturnValue(big(v.a.toString(16)));
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(v.now);
  const pool = new sdk.CognitoUserPool({ UserPoolId: `us-east-1_${POOL}`, ClientId: "client" });
  let srpA = "";
  let responses: Record<string, string> = {};
  (pool as unknown as { client: unknown }).client = {
    request(operation: string, body: Record<string, Record<string, string>>, callback: (e: unknown, d?: unknown) => void) {
      if (operation === "InitiateAuth") {
        srpA = body.AuthParameters!.SRP_A!;
        callback(null, {
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeParameters: { USER_ID_FOR_SRP: v.userId, SRP_B: v.srpB, SALT: v.salt, SECRET_BLOCK },
        });
      } else {
        responses = body.ChallengeResponses!;
        callback(new Error("stop here"));
      }
    },
  };
  const user = new sdk.CognitoUser({ Username: "typed-name", Pool: pool });
  await new Promise<void>((resolve) =>
    user.authenticateUser(new sdk.AuthenticationDetails({ Username: "typed-name", Password: v.password }), {
      onSuccess: () => resolve(),
      onFailure: () => resolve(),
    }),
  );
  return { srpA, responses };
}

const ours = async (v: Vector) => {
  const start = await srpStart(v.a);
  const claim = await passwordVerifier({ start, poolName: POOL, userIdForSrp: v.userId, password: v.password, srpB: v.srpB, salt: v.salt, secretBlock: SECRET_BLOCK, now: v.now });
  return { start, ...claim };
};

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("SRP client against amazon-cognito-identity-js on fixed inputs", () => {
  it("the vectors cover A with and without its top bit set, and odd-length A", async () => {
    const lengths = await Promise.all(vectors.map(async (v) => (await srpStart(v.a)).srpA));
    expect(lengths.some((hex) => hex.length % 2 === 0 && /^[89a-f]/.test(hex))).toBe(true);
    expect(lengths.some((hex) => hex.length % 2 === 0 && /^[0-7]/.test(hex))).toBe(true);
    expect(lengths.some((hex) => hex.length % 2 === 1)).toBe(true);
  });

  for (const v of vectors) {
    it(`same A, same HKDF key, same signature: ${v.name}`, async () => {
      const sdkValues = await sdkHelper(v);
      const { start, signature, timestamp } = await ours(v);
      expect(start.srpA).toBe(sdkValues.A);
      expect(start.A).toBe(BigInt(`0x${sdkValues.A}`));
      // Our key stays inside srp.ts; the signature is HMAC under it, so it verifies under the SDK's key only if they are equal.
      const message = Buffer.concat([Buffer.from(POOL), Buffer.from(v.userId), Buffer.from(SECRET_BLOCK, "base64"), Buffer.from(timestamp)]);
      expect(signature).toBe(createHmac("sha256", sdkValues.key).update(message).digest("base64"));
    });

    it(`the SDK's own sign-in sends the same SRP_A, TIMESTAMP and PASSWORD_CLAIM_SIGNATURE: ${v.name}`, async () => {
      const expected = await ours(v);
      const sent = await sdkSignIn(v);
      expect(sent.srpA).toBe(expected.start.srpA);
      expect(sent.responses.USERNAME).toBe(v.userId);
      expect(sent.responses.PASSWORD_CLAIM_SECRET_BLOCK).toBe(SECRET_BLOCK);
      expect(sent.responses.TIMESTAMP).toBe(expected.timestamp);
      expect(sent.responses.PASSWORD_CLAIM_SIGNATURE).toBe(expected.signature);
    });
  }

  it("writes the timestamp as the SDK's getNowString: English, UTC, day of month not zero-padded", async () => {
    const dates = ["2026-11-03T09:05:07Z", "2026-01-01T00:00:00Z", "2026-12-31T23:59:59Z", "2027-03-09T01:02:03Z", "2028-02-29T12:34:56Z", "2026-10-10T10:10:10Z"];
    const start = await srpStart(3n);
    const timestamps: string[] = [];
    for (const date of dates) {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date(date));
      const expected = new sdk.DateHelper().getNowString();
      vi.useRealTimers();
      const { timestamp } = await passwordVerifier({ start, poolName: POOL, userIdForSrp: "u", password: "p", srpB: B_LOW, salt: "1", secretBlock: SECRET_BLOCK, now: new Date(date) });
      expect(timestamp).toBe(expected);
      timestamps.push(timestamp);
    }
    expect(timestamps[0]).toBe("Tue Nov 3 09:05:07 UTC 2026");
    expect(timestamps[1]).toBe("Thu Jan 1 00:00:00 UTC 2026");
  });
});

describe("SRP client against a pool-side SRP server", () => {
  const username = "alice@example.com";
  const password = "Correct-Horse-9";

  async function signIn(server: SrpServer, typedPassword: string): Promise<boolean> {
    const start = await srpStart();
    const challenge = server.initiate(username, start.srpA);
    const { signature, timestamp } = await passwordVerifier({
      start,
      poolName: server.poolName,
      userIdForSrp: challenge.USER_ID_FOR_SRP,
      password: typedPassword,
      srpB: challenge.SRP_B,
      salt: challenge.SALT,
      secretBlock: challenge.SECRET_BLOCK,
    });
    return server.respond({
      USERNAME: challenge.USER_ID_FOR_SRP,
      PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: signature,
      TIMESTAMP: timestamp,
    });
  }

  it("accepts the right password (fresh a, b and salt each time)", async () => {
    for (let i = 0; i < 4; i++) {
      const server = new SrpServer(POOL);
      server.signUp(username, password);
      expect(await signIn(server, password)).toBe(true);
    }
  });

  it("refuses a wrong password", async () => {
    const server = new SrpServer(POOL);
    server.signUp(username, password);
    expect(await signIn(server, "Correct-Horse-8")).toBe(false);
    expect(await signIn(server, `${password} `)).toBe(false);
    expect(await signIn(server, "")).toBe(false);
  });

  it("refuses a claim replayed with its secret block", async () => {
    const server = new SrpServer(POOL);
    server.signUp(username, password);
    const start = await srpStart();
    const challenge = server.initiate(username, start.srpA);
    const claim = await passwordVerifier({ start, poolName: POOL, userIdForSrp: challenge.USER_ID_FOR_SRP, password, srpB: challenge.SRP_B, salt: challenge.SALT, secretBlock: challenge.SECRET_BLOCK });
    const response = { USERNAME: challenge.USER_ID_FOR_SRP, PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE: claim.signature, TIMESTAMP: claim.timestamp };
    expect(server.respond(response)).toBe(true);
    expect(server.respond(response)).toBe(false);
  });
});

describe("SRP client refuses a server value that would reveal the key", () => {
  const password = "s3cret-Passw0rd";
  const answer = async (srpB: string) =>
    passwordVerifier({ start: await srpStart(), poolName: POOL, userIdForSrp: "u", password, srpB, salt: "ab", secretBlock: SECRET_BLOCK });

  for (const [name, srpB] of [
    ["B = 0", "0"],
    ["B = N", N.toString(16)],
    ["B = 2N", (2n * N).toString(16)],
    ["B = -N", `-${N.toString(16)}`],
  ] as const) {
    it(`refuses ${name}, without the password in the error`, async () => {
      const error = await answer(srpB).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/SRP_B/);
      expect((error as Error).message).not.toContain(password);
    });
  }

  it("refuses a B or salt that is not hex", async () => {
    await expect(answer("12zz")).rejects.toThrow(/SRP_B is not a hex number/);
    await expect(answer("0x12")).rejects.toThrow(/SRP_B is not a hex number/);
    await expect(answer("")).rejects.toThrow(/SRP_B is not a hex number/);
    const start = await srpStart();
    await expect(passwordVerifier({ start, poolName: POOL, userIdForSrp: "u", password, srpB: B_LOW, salt: "g1", secretBlock: SECRET_BLOCK })).rejects.toThrow(/SALT/);
  });

  it("reads a SECRET_BLOCK that is not plain base64 as the SDK's Buffer does (moto sends a UUID)", async () => {
    const start = await srpStart(3n);
    const now = new Date("2026-11-03T09:05:07Z");
    const sign = (secretBlock: string) => passwordVerifier({ start, poolName: POOL, userIdForSrp: "u", password, srpB: B_LOW, salt: "1", secretBlock, now });
    const timestamp = (await sign(SECRET_BLOCK)).timestamp;
    for (const odd of ["3f2c1a9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c", "ab_c-d+e/f==", "not base64!"]) {
      // The same claim over Buffer.from(odd, "base64"), the bytes the SDK signs.
      const plain = Buffer.from(odd, "base64").toString("base64");
      expect((await sign(odd)).signature, odd).toBe((await sign(plain)).signature);
      expect((await sign(odd)).timestamp).toBe(timestamp);
    }
  });

  it("refuses a non-positive a", async () => {
    await expect(srpStart(0n)).rejects.toThrow(/positive/);
    await expect(srpStart(-5n)).rejects.toThrow(/positive/);
  });
});
