/**
 * Throughput measurement for the in-process benches: each variant processes the same list of
 * inputs with a fixed number of calls in flight; rounds alternate the order of variants so warm-up,
 * GC and thermal drift do not favour whoever runs first; medians are reported.
 */
import { median } from "./report.ts";

/** One call on input `i`; resolves to whether the outcome was the expected one. */
export type Op = (i: number) => Promise<boolean> | boolean;

export interface Variant {
  name: string;
  /** Builds the op once per round (fresh state, e.g. a fresh verified-token cache). */
  prepare(): Promise<Op>;
  /** Inputs per round. */
  count: number;
}

export interface Sample {
  opsPerSec: number;
  /** CPU of this whole process (main thread and crypto thread pool) per op: robust to neighbours. */
  cpuUsPerOp: number;
  wrong: number;
}

export async function drive(op: Op, count: number, concurrency: number): Promise<Sample> {
  let next = 0;
  let wrong = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const lane = async () => {
    while (next < count) {
      if (!(await op(next++))) wrong++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { opsPerSec: count / seconds, cpuUsPerOp: (used.user + used.system) / count, wrong };
}

export interface Result {
  name: string;
  concurrency: number;
  samples: number[];
  median: number;
  cpuSamples: number[];
  cpuMedian: number;
  wrong: number;
}

export async function compare(variants: Variant[], concurrencies: number[], rounds: number): Promise<Result[]> {
  const results = new Map<string, Result>();
  for (const v of variants) {
    for (const c of concurrencies) results.set(`${v.name}@${c}`, { name: v.name, concurrency: c, samples: [], median: NaN, cpuSamples: [], cpuMedian: NaN, wrong: 0 });
  }
  // One untimed pass each: JIT, key import, key-set fetch.
  for (const v of variants) await drive(await v.prepare(), Math.min(200, v.count), 4);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [...variants] : [...variants].reverse();
    const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
    for (const v of rotated) {
      for (const c of concurrencies) {
        const op = await v.prepare();
        const sample = await drive(op, v.count, c);
        const r = results.get(`${v.name}@${c}`)!;
        r.samples.push(sample.opsPerSec);
        r.cpuSamples.push(sample.cpuUsPerOp);
        r.wrong += sample.wrong;
      }
    }
  }
  for (const r of results.values()) {
    r.median = median(r.samples);
    r.cpuMedian = median(r.cpuSamples);
  }
  return [...results.values()];
}
