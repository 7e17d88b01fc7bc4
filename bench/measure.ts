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
  wrong: number;
}

export async function drive(op: Op, count: number, concurrency: number): Promise<Sample> {
  let next = 0;
  let wrong = 0;
  const start = performance.now();
  const lane = async () => {
    while (next < count) {
      if (!(await op(next++))) wrong++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - start) / 1000;
  return { opsPerSec: count / seconds, wrong };
}

export interface Result {
  name: string;
  concurrency: number;
  samples: number[];
  median: number;
  wrong: number;
}

export async function compare(variants: Variant[], concurrencies: number[], rounds: number): Promise<Result[]> {
  const results = new Map<string, Result>();
  for (const v of variants) {
    for (const c of concurrencies) results.set(`${v.name}@${c}`, { name: v.name, concurrency: c, samples: [], median: NaN, wrong: 0 });
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
        r.wrong += sample.wrong;
      }
    }
  }
  for (const r of results.values()) r.median = median(r.samples);
  return [...results.values()];
}
