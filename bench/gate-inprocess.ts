/**
 * Gate cost in process (issue 6): the gate's handler called directly on Node's Web Crypto, with an
 * in-memory origin, against (a) the raw `crypto.subtle.verify` RS256 floor on the same key,
 * (b) the same handler with verification switched off (every path public), (c) aws-jwt-verify's
 * `JwtVerifier` on the same tokens. Two token sets: thousands signed here, and real cognito-local
 * tokens (fewer: one sign-in each).
 */
import { JwtVerifier } from "aws-jwt-verify";
import { importJWK, type JWK } from "jose";
import { startCognitoLocal } from "../dev/cognito-local.ts";
import { parseConfig, type Config } from "../worker/config.ts";
import { createDeps, handle, type Deps } from "../worker/http.ts";
import { createKeySet } from "../worker/jwks.ts";
import { verifyAccessToken } from "./verify-only.ts";
import type { Fixture } from "./fixture.ts";
import { gateEnv } from "./gate.ts";
import { compare, type Result, type Variant } from "./measure.ts";
import { fixed, ratio, type Table, type Target } from "./report.ts";

const ORIGIN = "http://origin.bench.invalid";
const PUBLIC_PREFIX = "/bench";

export interface TokenSet {
  label: string;
  tokens: string[];
  issuer: string;
  clientId: string;
  jwks: { keys: JWK[] };
}

/** (a) the floor: split, base64url-decode, one RS256 verify; nothing else. */
function rawVerify(set: TokenSet, count: number): Variant {
  return {
    name: "raw crypto.subtle.verify",
    count,
    async prepare() {
      const key = (await importJWK({ ...set.jwks.keys[0]!, alg: "RS256" }, "RS256")) as CryptoKey;
      const encoder = new TextEncoder();
      return (i) => {
        const token = set.tokens[i % set.tokens.length]!;
        const dot = token.lastIndexOf(".");
        return crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, Buffer.from(token.slice(dot + 1), "base64url"), encoder.encode(token.slice(0, dot)));
      };
    },
  };
}

/** (c) aws-jwt-verify with the key set preloaded (its Node build fetches over https only). */
function awsJwtVerify(set: TokenSet, count: number): Variant {
  return {
    name: "aws-jwt-verify JwtVerifier",
    count,
    async prepare() {
      const verifier = JwtVerifier.create({
        issuer: set.issuer,
        audience: null,
        jwksUri: `${set.issuer}/.well-known/jwks.json`,
        // What CognitoJwtVerifier checks for access tokens (it rejects a non-AWS issuer URL).
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== "access") throw new Error("token_use");
          if (payload.client_id !== set.clientId) throw new Error("client_id");
        },
      });
      verifier.cacheJwks(set.jwks as never);
      return async (i) => {
        try {
          await verifier.verify(set.tokens[i % set.tokens.length]!);
          return true;
        } catch {
          return false;
        }
      };
    },
  };
}

function requests(set: TokenSet, path: string, count: number, repeat: boolean): Request[] {
  return Array.from({ length: count }, (_, i) =>
    new Request(`https://gate.bench.invalid${path}/${i}`, { headers: { authorization: `Bearer ${set.tokens[repeat ? 0 : i % set.tokens.length]}` } }),
  );
}

const ORIGIN_BODY = JSON.stringify({ ok: true });

/**
 * deps.fetch in process: the origin answers at once from memory (so its cost is not measured);
 * anything else, i.e. the key set, goes to the real loopback server.
 */
const stubFetch: typeof fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (url.startsWith(ORIGIN)) return new Response(ORIGIN_BODY, { status: 200, headers: { "content-type": "application/json" } });
  return fetch(input, init);
};

/** A warm isolate's deps: the gate's own `createDeps` (one key set) with the in-memory origin. */
function makeDeps(config: Config): Deps {
  return createDeps(config, { fetch: stubFetch, now: () => Date.now() });
}

function gateVariant(set: TokenSet, count: number, name: string, env: Record<string, string>, path: string, repeat = false): Variant {
  return {
    name,
    count,
    async prepare() {
      const config = parseConfig(gateEnv(set.issuer, set.clientId, ORIGIN, env));
      const deps = makeDeps(config);
      const all = requests(set, path, count, repeat);
      return async (i) => (await handle(all[i]!, config, deps)).status === 200;
    },
  };
}

/** `verifyAccessToken` alone: the handler's cost beyond verification shows as the gap. */
function verifyOnly(set: TokenSet, count: number): Variant {
  return {
    name: "gate verifyAccessToken only",
    count,
    async prepare() {
      const config = parseConfig(gateEnv(set.issuer, set.clientId, ORIGIN));
      const keys = createKeySet(config, { fetch });
      return async (i) => {
        try {
          await verifyAccessToken(set.tokens[i % set.tokens.length]!, config, keys, Date.now());
          return true;
        } catch {
          return false;
        }
      };
    },
  };
}

export interface InProcessOptions {
  syntheticTokens: number;
  cognitoTokens: number;
  rounds: number;
  concurrencies: number[];
}

export interface InProcessOutcome {
  tables: Table[];
  targets: Target[];
}

async function cognitoLocalSet(count: number): Promise<{ set: TokenSet; stop(): Promise<void> }> {
  const cognito = await startCognitoLocal();
  try {
    const pool = await cognito.createPool();
    const user = await pool.createUser();
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) tokens.push((await pool.signIn(user.username, user.password)).accessToken);
    const jwks = (await (await fetch(pool.jwksUri)).json()) as { keys: JWK[] };
    return { set: { label: "cognito-local", tokens, issuer: pool.issuer, clientId: pool.clientId, jwks }, stop: () => cognito.stop() };
  } catch (error) {
    await cognito.stop();
    throw error;
  }
}

/** Rate ratio from CPU per op: how many of `name`'s ops fit in the CPU one base op costs, inverted. */
function cpuRatio(cpu: number | undefined, baseCpu: number | undefined): string {
  return cpu === undefined || baseCpu === undefined ? "–" : ratio(baseCpu, cpu);
}

export function resultTable(title: string, results: Result[], base: string, notes: string[]): Table {
  const by = (name: string, c: number) => results.find((r) => r.name === name && r.concurrency === c);
  const concurrencies = [...new Set(results.map((r) => r.concurrency))];
  const first = concurrencies[0]!;
  const names = [...new Set(results.map((r) => r.name))];
  return {
    title,
    head: [
      "variant",
      ...concurrencies.flatMap((c) => [`ops/s c=${c}`, `÷ raw`]),
      `CPU µs/op c=${first}`,
      "÷ raw (by CPU)",
      `rounds (ops/s, c=${first})`,
      "wrong",
    ],
    rows: names.map((name) => [
      name,
      ...concurrencies.flatMap((c) => [fixed(by(name, c)?.median), ratio(by(name, c)?.median, by(base, c)?.median)]),
      fixed(by(name, first)?.cpuMedian),
      cpuRatio(by(name, first)?.cpuMedian, by(base, first)?.cpuMedian),
      by(name, first)?.samples.map((s) => fixed(s)).join(" "),
      results.filter((r) => r.name === name).reduce((n, r) => n + r.wrong, 0),
    ]),
    notes,
  };
}

export async function benchInProcess(fixture: Fixture, options: InProcessOptions): Promise<InProcessOutcome> {
  const synthetic: TokenSet = {
    label: "synthetic",
    tokens: fixture.tokens.slice(0, options.syntheticTokens),
    issuer: fixture.issuer,
    clientId: fixture.keys.clientId,
    jwks: fixture.keys.jwks,
  };
  const local = await cognitoLocalSet(options.cognitoTokens);
  const tables: Table[] = [];
  const targets: Target[] = [];
  try {
    const GATE = "gate handle(), distinct tokens (cache misses)";
    const CYCLED = "gate handle(), tokens cycled, cache off";
    const REPEAT = "gate handle(), one token repeated (cache hits)";
    const REPEAT_OFF = "gate handle(), one token repeated, cache off";
    const CACHE_OFF = { TOKEN_CACHE_KB: "0" };
    const OFF = "gate handle(), verification off";
    const RAW = "raw crypto.subtle.verify";
    const AWS = "aws-jwt-verify JwtVerifier";
    for (const set of [synthetic, local.set]) {
      // Cognito-local tokens are few (one sign-in each): they are cycled to make a round.
      const count = Math.max(set.tokens.length, options.syntheticTokens);
      const variants: Variant[] = [rawVerify(set, count), awsJwtVerify(set, count)];
      // Distinct tokens as long as there are enough; cognito-local's few are cycled, so its row
      // runs with the cache off to show full verification.
      variants.push(set.tokens.length >= count ? gateVariant(set, count, GATE, {}, "/api") : gateVariant(set, count, CYCLED, CACHE_OFF, "/api"));
      if (set === synthetic) {
        variants.push(gateVariant(set, count, OFF, { PUBLIC_PATHS: `${PUBLIC_PREFIX}/*` }, PUBLIC_PREFIX));
        variants.push(gateVariant(set, count, REPEAT, {}, "/api", true));
        variants.push(gateVariant(set, count, REPEAT_OFF, CACHE_OFF, "/api", true));
      }
      variants.push(verifyOnly(set, count));
      const results = await compare(variants, options.concurrencies, options.rounds);
      const notes = [
        `${count} calls per round over ${set.tokens.length} distinct valid tokens; ${options.rounds} rounds, order alternating; medians.`,
        "Fresh deps (an empty verified-token cache) every round; Requests built before the round is timed.",
        "c = calls in flight. Node runs Web Crypto (raw, jose) on its thread pool (2 cores here); aws-jwt-verify verifies synchronously on the main thread.",
      ];
      tables.push(resultTable(`In-process gate cost, ${set.label} tokens (RS256, 2048-bit)`, results, RAW, notes));
      if (set === synthetic) {
        const cpu = (name: string) => results.find((r) => r.name === name && r.concurrency === options.concurrencies[0])?.cpuMedian;
        const [gCpu, rawCpu, awsCpu, offCpu] = [cpu(GATE), cpu(RAW), cpu(AWS), cpu(OFF)];
        if (gCpu !== undefined && rawCpu !== undefined && awsCpu !== undefined && offCpu !== undefined) {
          // At best a verifying handler costs the raw verify plus the handler without verification.
          const ceiling = rawCpu / (rawCpu + offCpu);
          const why = ceiling < 0.8 ? ` — unmeetable: raw ÷ (raw + handler without verification) = ${ceiling.toFixed(2)}×` : "";
          targets.push({ name: "in-process gate ÷ raw verify (by CPU/op)", goal: "≥ 0.80×", value: `${ratio(rawCpu, gCpu)}${why}`, met: rawCpu / gCpu >= 0.8 });
          targets.push({ name: "in-process gate ÷ aws-jwt-verify (by CPU/op)", goal: "≥ 1.00×", value: ratio(awsCpu, gCpu), met: awsCpu / gCpu >= 1 });
        }
        for (const c of options.concurrencies) {
          const g = results.find((r) => r.name === GATE && r.concurrency === c)?.median;
          const raw = results.find((r) => r.name === RAW && r.concurrency === c)?.median;
          const aws = results.find((r) => r.name === AWS && r.concurrency === c)?.median;
          targets.push({ name: `in-process gate ÷ raw verify (c=${c})`, goal: "≥ 0.80×", value: ratio(g, raw), met: g !== undefined && raw !== undefined ? g / raw >= 0.8 : undefined });
          targets.push({ name: `in-process gate ÷ aws-jwt-verify (c=${c})`, goal: "≥ 1.00×", value: ratio(g, aws), met: g !== undefined && aws !== undefined ? g / aws >= 1 : undefined });
        }
      }
    }
  } finally {
    await local.stop();
  }
  return { tables, targets };
}
