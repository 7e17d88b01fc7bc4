/**
 * The browser side of bench/srp.ts, bundled by it: one SRP sign-in computation, ours or the SDK's,
 * on the inputs the bench hands over. `prepare` does what is not part of the timed work; `run`
 * does the timed work and returns its result, so the bench can check both sides agree.
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import * as sdkModule from "amazon-cognito-identity-js";
import { Buffer } from "buffer";
import { passwordVerifier, srpStart } from "../components/auth/srp.ts";

export interface SrpBenchInputs {
  /** The secret a, hex, the same for both sides. */
  a: string;
  poolName: string;
  userId: string;
  password: string;
  srpB: string;
  salt: string;
  secretBlock: string;
  /** Epoch milliseconds of the sign-in, so both sides sign the same timestamp. */
  now: number;
}

export interface SrpBenchResult {
  srpA: string;
  signature: string;
  timestamp: string;
  /** performance.now() around the timed work, in the page. */
  ms: number;
}

interface SdkBigInteger {
  toString(radix: number): string;
}
/** The parts of AuthenticationHelper a sign-in uses (exported at run time, missing from the SDK's types). */
interface SdkHelper {
  N: { constructor: new (hex: string, radix: number) => SdkBigInteger };
  smallAValue: SdkBigInteger;
  largeAValue: SdkBigInteger | undefined;
  getLargeAValue(callback: (error: unknown, A: SdkBigInteger) => void): void;
  getPasswordAuthenticationKey(
    userId: string,
    password: string,
    B: SdkBigInteger,
    salt: SdkBigInteger,
    callback: (error: unknown, key: Uint8Array) => void,
  ): void;
}
const { AuthenticationHelper } = sdkModule as unknown as { AuthenticationHelper: new (poolName: string) => SdkHelper };

let inputs: SrpBenchInputs | undefined;
let helper: SdkHelper | undefined;

function prepare(kind: "ours" | "sdk", given: SrpBenchInputs): void {
  inputs = given;
  // Not timed: the constructor computes k and an A for a random a, which `run` replaces with ours.
  helper = kind === "sdk" ? new AuthenticationHelper(given.poolName) : undefined;
}

async function runOurs(i: SrpBenchInputs): Promise<Omit<SrpBenchResult, "ms">> {
  const start = await srpStart(BigInt(`0x${i.a}`));
  const { signature, timestamp } = await passwordVerifier({
    start,
    poolName: i.poolName,
    userIdForSrp: i.userId,
    password: i.password,
    srpB: i.srpB,
    salt: i.salt,
    secretBlock: i.secretBlock,
    now: new Date(i.now),
  });
  return { srpA: start.srpA, signature, timestamp };
}

/** What CognitoUser.authenticateUserDefaultAuth computes, with the SDK's own classes. */
function runSdk(i: SrpBenchInputs, h: SdkHelper, timestamp: string): Omit<SrpBenchResult, "ms"> {
  const BigInteger = h.N.constructor;
  h.smallAValue = new BigInteger(i.a, 16);
  h.largeAValue = undefined;
  let srpA = "";
  h.getLargeAValue((_, A) => (srpA = A.toString(16)));
  let signature = "";
  h.getPasswordAuthenticationKey(i.userId, i.password, new BigInteger(i.srpB, 16), new BigInteger(i.salt, 16), (_, key) => {
    const message = Buffer.concat([
      Buffer.from(i.poolName, "utf8"),
      Buffer.from(i.userId, "utf8"),
      Buffer.from(i.secretBlock, "base64"),
      Buffer.from(timestamp, "utf8"),
    ]);
    const hmac = new Sha256(key);
    hmac.update(message);
    signature = Buffer.from(hmac.digestSync()).toString("base64");
  });
  return { srpA, signature, timestamp };
}

async function run(kind: "ours" | "sdk", timestamp: string): Promise<SrpBenchResult> {
  if (!inputs) throw new Error("prepare() first");
  const started = performance.now();
  const out = kind === "ours" ? await runOurs(inputs) : runSdk(inputs, helper!, timestamp);
  return { ...out, ms: performance.now() - started };
}

/** What the page puts on `globalThis.srpBench` for the bench to drive. */
export interface SrpBenchApi {
  prepare: typeof prepare;
  run: typeof run;
}

(globalThis as unknown as { srpBench: SrpBenchApi }).srpBench = { prepare, run };
