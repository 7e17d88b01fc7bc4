/**
 * The in-process comparison again, inside workerd (bench/isolate-worker.ts): raw verify, the
 * gate's handler with and without verification, its verifier alone, and aws-jwt-verify's Web
 * build, each run as one request doing n ops. Per op: wall time measured here, and the workerd
 * process's CPU from /proc. Rounds alternate the order; medians.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import * as esbuild from "esbuild";
import type { Fixture } from "./fixture.ts";
import type { Result } from "./measure.ts";
import { median, ratio, type Table, type Target } from "./report.ts";
import { resultTable } from "./gate-inprocess.ts";
import { startWorkerd } from "./workerd.ts";

const root = resolve(import.meta.dirname, "..");

export async function bundleIsolateBench(): Promise<string> {
  const files = readdirSync(join(root, "worker")).filter((f) => /\.ts$/.test(f) && !/^(index|deno)\.ts$|\.d\.ts$/.test(f)).sort();
  const entry = [
    ...files.map((f, i) => `import * as m${i} from "./worker/${f}";`),
    `import { isolateBench } from "./bench/isolate-worker.ts";`,
    `export default isolateBench({ ${files.map((_, i) => `...m${i}`).join(", ")} });`,
  ].join("\n");
  const built = await esbuild.build({
    stdin: { contents: entry, resolveDir: root, loader: "ts", sourcefile: "isolate-entry.ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return built.outputFiles[0]!.text;
}

export interface IsolateOptions {
  ops: number;
  rounds: number;
  concurrencies: number[];
}

const VARIANTS: Array<[string, string]> = [
  ...(process.env.BENCH_DIAG ? ([["forwardIdentity", "diag: forward() with identity"], ["verifyThenForward", "diag: verify then forward()"]] as Array<[string, string]>) : []),
  ["raw", "raw crypto.subtle.verify"],
  ["aws", "aws-jwt-verify JwtVerifier (Web build)"],
  ["handle", "gate handle(), valid token"],
  ["off", "gate handle(), verification off"],
  ["repeat", "gate handle(), one token repeated"],
  ["verify", "gate verifyAccessToken only"],
  ["verifyRepeat", "gate verifyAccessToken, one token repeated"],
];

const [RAW, AWS, GATE] = ["raw crypto.subtle.verify", "aws-jwt-verify JwtVerifier (Web build)", "gate handle(), valid token"];

export async function benchIsolate(fixture: Fixture, options: IsolateOptions): Promise<{ table: Table; targets: Target[] }> {
  if (!existsSync(join(root, "worker"))) throw new Error("worker/ does not exist yet");
  const workerd = await startWorkerd(await bundleIsolateBench(), {});
  try {
    const load = await fetch(new URL("/load", workerd.url), {
      method: "POST",
      body: JSON.stringify({ tokens: fixture.tokens, jwks: fixture.keys.jwks, issuer: fixture.issuer, clientId: fixture.keys.clientId }),
    });
    if (!load.ok) throw new Error(`isolate bench did not load: ${load.status} ${await load.text()}`);
    const results = new Map<string, Result>();
    const run = async (variant: string, n: number, c: number) => {
      const cpu0 = workerd.cpuSeconds();
      const t0 = performance.now();
      const response = await fetch(new URL(`/run?variant=${variant}&n=${n}&c=${c}`, workerd.url));
      const body = (await response.json()) as { ok: number; wrong: number };
      const seconds = (performance.now() - t0) / 1000;
      return { opsPerSec: n / seconds, cpuUsPerOp: ((workerd.cpuSeconds() - cpu0) / n) * 1e6, wrong: body.wrong };
    };
    for (const [variant] of VARIANTS) await run(variant, 300, 1); // JIT warm-up
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const [variant, name] of order) {
        for (const c of options.concurrencies) {
          const sample = await run(variant, options.ops, c);
          const key = `${name}@${c}`;
          const r = results.get(key) ?? { name, concurrency: c, samples: [], median: NaN, cpuSamples: [], cpuMedian: NaN, wrong: 0 };
          r.samples.push(sample.opsPerSec);
          r.cpuSamples.push(sample.cpuUsPerOp);
          r.wrong += sample.wrong;
          results.set(key, r);
        }
      }
    }
    for (const r of results.values()) {
      r.median = median(r.samples);
      r.cpuMedian = median(r.cpuSamples);
    }
    const all = [...results.values()];
    const table = resultTable(`Gate cost inside workerd (one isolate), synthetic tokens`, all, RAW, [
      `${options.ops} ops per request, ${options.rounds} rounds, order alternating; medians. Wall time includes one loopback request per ${options.ops} ops.`,
      "CPU = the workerd process's utime+stime (/proc) ÷ ops (clock tick 10 ms). In workerd Web Crypto runs on the isolate's thread: c>1 buys nothing.",
    ]);
    const get = (name: string) => all.find((r) => r.name === name && r.concurrency === options.concurrencies[0]);
    const [raw, aws, gate] = [get(RAW), get(AWS), get(GATE)];
    const targets: Target[] = [];
    if (raw && aws && gate) {
      targets.push({ name: "workerd isolate: gate ÷ raw verify (ops/s)", goal: "≥ 0.80×", value: ratio(gate.median, raw.median), met: gate.median / raw.median >= 0.8 });
      targets.push({ name: "workerd isolate: gate ÷ aws-jwt-verify (ops/s)", goal: "≥ 1.00×", value: ratio(gate.median, aws.median), met: gate.median / aws.median >= 1 });
    }
    const verifier = get("gate verifyAccessToken only");
    if (verifier && aws && raw) {
      targets.push({ name: "workerd isolate: gate verifier alone ÷ aws-jwt-verify (by CPU/op)", goal: "≥ 1.00× (info)", value: ratio(aws.cpuMedian, verifier.cpuMedian), met: undefined });
      targets.push({ name: "workerd isolate: gate verifier alone ÷ raw verify (by CPU/op)", goal: "≥ 0.80× (info)", value: ratio(raw.cpuMedian, verifier.cpuMedian), met: undefined });
    }
    // "Repeat-token throughput with and without the cache": the verification step, since the
    // handler's proxying alone costs more than 1/5 of a signature check.
    const repeat = get("gate verifyAccessToken, one token repeated");
    const cached = repeat && verifier ? repeat.cpuMedian * 2 < verifier.cpuMedian : false;
    if (repeat && raw) {
      targets.push({
        name: "workerd isolate: repeat token, verifier ÷ raw verify (verified-token cache)",
        goal: "≥ 5.00×",
        value: `${ratio(repeat.median, raw.median)}${cached ? "" : " (gate has no token cache)"}`,
        met: cached ? repeat.median / raw.median >= 5 : undefined,
      });
    }
    table.notes!.push("Every request runs on fresh deps (createDeps): a verified-token cache, if any, starts empty; 'repeat' shows what it saves.");
    return { table, targets };
  } finally {
    await workerd.dispose();
  }
}
