/**
 * Gate cost end to end (issue 6): the gate on workerd (worker/cloudflare.ts bundled by esbuild, run by
 * Miniflare as the issue asks, and by the workerd binary alone, without Miniflare's entry worker)
 * in front of a trivial node:http origin, all on 127.0.0.1, loaded by autocannon for a
 * bounded time and number of connections. Cells, in alternating order over rounds:
 * a bare proxy worker (the floor: workerd forwarding, nothing else), the gate on a public path
 * (pass-through), a valid token (tokens cycled, so answered from the verified-token cache after
 * their first request), a valid token on a second gate with the cache off, a bad signature, a
 * malformed token. Besides req/s and latency,
 * the CPU time per request of the workerd process, read from /proc, since the load generator and
 * origin share the machine's two cores with it.
 */
import autocannon from "autocannon";
import { bundleGate } from "../dev/workerd-build.ts";
import type { Fixture } from "./fixture.ts";
import { gateEnv } from "./gate.ts";
import { fixed, median, ratio, type Table, type Target } from "./report.ts";
import { badSignature, MALFORMED_TOKENS } from "./tokens.ts";
import { bareProxyScript, startOrigin, startWorkerd, startWorkerdDirect, type Workerd } from "./workerd.ts";

const RUNTIMES = {
  miniflare: { label: "Miniflare", start: startWorkerd },
  workerd: { label: "workerd alone", start: startWorkerdDirect },
} as const;

export interface E2EOptions {
  /** Miniflare (what `wrangler dev` runs) or the workerd binary with a minimal config. */
  runtime: keyof typeof RUNTIMES;
  seconds: number;
  connections: number;
  rounds: number;
}

interface Cell {
  name: string;
  target: Workerd;
  path: string;
  /** Authorization values, cycled; none sends no header. */
  tokens: string[];
  expect: number;
}

interface Sample {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  unexpected: number;
  errors: number;
  cpuPerRequestUs: number;
}

export async function load(url: URL, path: string, tokens: string[], options: { seconds?: number; amount?: number; connections: number; overallRate?: number }) {
  let n = 0;
  return autocannon({
    url: url.origin,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? 1 }),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    timeout: 10,
    requests: [
      {
        method: "GET",
        setupRequest: (request) => {
          const i = n++;
          const token = tokens[i % tokens.length];
          const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
          return { ...request, path: `${path}/${i}`, headers };
        },
      },
    ],
  });
}

async function runCell(cell: Cell, options: E2EOptions): Promise<Sample> {
  const workerd = cell.target;
  const cpu0 = workerd.cpuSeconds();
  const result = await load(workerd.url, cell.path, cell.tokens, { seconds: options.seconds, connections: options.connections });
  const cpu1 = workerd.cpuSeconds();
  const total = Object.values(result.statusCodeStats).reduce((sum, s) => sum + s.count, 0);
  const expected = result.statusCodeStats[String(cell.expect)]?.count ?? 0;
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    unexpected: total - expected,
    errors: result.errors + result.timeouts,
    cpuPerRequestUs: total ? ((cpu1 - cpu0) / total) * 1e6 : NaN,
  };
}

export interface E2EOutcome {
  table: Table;
  targets: Target[];
}

export async function benchEndToEnd(fixture: Fixture, options: E2EOptions): Promise<E2EOutcome> {
  const origin = await startOrigin();
  const script = await bundleGate();
  const env = gateEnv(fixture.issuer, fixture.keys.clientId, origin.url, { PUBLIC_PATHS: "/public/*" });
  let gate: Workerd | undefined;
  let uncached: Workerd | undefined;
  let bare: Workerd | undefined;
  try {
    const { start } = RUNTIMES[options.runtime];
    gate = await start(script, env);
    uncached = await start(script, { ...env, TOKEN_CACHE_KB: "0" });
    bare = await start(bareProxyScript(origin.url), {});
    const valid = fixture.tokens;
    const cells: Cell[] = [
      { name: "bare proxy worker (no gate)", target: bare, path: "/public", tokens: valid, expect: 200 },
      { name: "gate, public path (pass-through)", target: gate, path: "/public", tokens: valid, expect: 200 },
      { name: `gate, valid token (${valid.length} cycled: cache hits)`, target: gate, path: "/api", tokens: valid, expect: 200 },
      { name: "gate, valid token, cache off (each verified)", target: uncached, path: "/api", tokens: valid, expect: 200 },
      { name: "gate, bad signature", target: gate, path: "/api", tokens: valid.slice(0, 500).map(badSignature), expect: 401 },
      { name: "gate, malformed token", target: gate, path: "/api", tokens: MALFORMED_TOKENS, expect: 401 },
    ];
    // Warm every isolate (and fetch the key set) before anything is timed: one request per token,
    // so that the cached cell's rounds are all hits, as its name says.
    for (const cell of cells) await load(cell.target.url, cell.path, cell.tokens, { amount: Math.max(cell.tokens.length, 1000), connections: options.connections });
    const samples = new Map<string, Sample[]>(cells.map((c) => [c.name, []]));
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? cells : [...cells].reverse();
      for (const cell of order) samples.get(cell.name)!.push(await runCell(cell, options));
    }
    const med = (name: string, key: keyof Sample) => median(samples.get(name)!.map((s) => s[key]));
    // Paired by round: each cell against the pass-through run next to it in time, so that drift
    // in a shared, noisy machine cancels out; the median of the per-round figures is reported.
    const perRound = (name: string, f: (cell: Sample, pass: Sample) => number) => samples.get(name)!.map((s, round) => f(s, samples.get(PASS)![round]!));
    const addedCpu = (name: string) => perRound(name, (cell, pass) => cell.cpuPerRequestUs - pass.cpuPerRequestUs);
    const rpsRatio = (name: string) => perRound(name, (cell, pass) => cell.reqPerSec / pass.reqPerSec);
    const sum = (name: string, key: keyof Sample) => samples.get(name)!.reduce((n, s) => n + s[key], 0);
    const PASS = cells[1]!.name;
    const VALID = cells[2]!.name;
    const UNCACHED = cells[3]!.name;
    const table: Table = {
      title: `End to end on workerd (${RUNTIMES[options.runtime].label}), autocannon ${options.seconds} s × ${options.connections} connections per cell, ${options.rounds} rounds, medians`,
      head: ["cell", "req/s", "÷ pass-through", "p50 ms", "p99 ms", "non-2xx", "unexpected", "errors", "workerd CPU µs/req", "+ over pass-through", "+ per round"],
      rows: cells.map((c) => [
        c.name,
        fixed(med(c.name, "reqPerSec")),
        c.name === PASS ? "1.00×" : `${median(rpsRatio(c.name)).toFixed(2)}×`,
        fixed(med(c.name, "p50"), 1),
        fixed(med(c.name, "p99"), 1),
        sum(c.name, "non2xx"),
        sum(c.name, "unexpected"),
        sum(c.name, "errors"),
        fixed(med(c.name, "cpuPerRequestUs")),
        c.name === PASS ? "" : fixed(median(addedCpu(c.name))),
        c.name === PASS ? "" : addedCpu(c.name).map((us) => fixed(us)).join(" "),
      ]),
      notes: [
        "÷ pass-through and + over pass-through: per round against the pass-through run of the same round, then the median.",
        "non-2xx and unexpected are totals over all rounds; unexpected = answers other than 200 (pass, valid) or 401 (invalid).",
        "workerd CPU = utime+stime of the workerd process (/proc/<pid>/stat) over the cell ÷ responses; clock tick 10 ms.",
        "Load generator, origin and key-set server run in this Node process and share the 2 cores with workerd.",
      ],
    };
    const targets: Target[] = [];
    for (const [label, name] of [["valid, cached", VALID], ["valid, cache off", UNCACHED]] as const) {
      const r = median(rpsRatio(name));
      const added = median(addedCpu(name));
      const where = RUNTIMES[options.runtime].label;
      targets.push({ name: `e2e (${where}) ${label} ÷ pass-through req/s`, goal: "≥ 0.95×", value: `${r.toFixed(2)}×`, met: r >= 0.95 });
      targets.push({ name: `e2e (${where}) ${label}: workerd CPU added per request`, goal: "≤ 100 µs", value: `${fixed(added)} µs`, met: added <= 100 });
    }
    // Failures are never cached (an attacker must not be able to fill the cache), so an invalid
    // token is compared with a valid one that is verified in full, the same work.
    const validRps = med(UNCACHED, "reqPerSec");
    const validCpu = med(UNCACHED, "cpuPerRequestUs");
    for (const c of cells.slice(4)) {
      const cpu = med(c.name, "cpuPerRequestUs");
      const rps = med(c.name, "reqPerSec");
      targets.push({
        name: `e2e (${RUNTIMES[options.runtime].label}) ${c.name.replace("gate, ", "")} rejected ≥ as fast as valid passes (cache off)`,
        goal: "req/s ≥ valid, CPU ≤ valid",
        value: `${ratio(rps, validRps)} req/s, ${fixed(cpu)} vs ${fixed(validCpu)} µs`,
        met: rps >= validRps && cpu <= validCpu,
      });
    }
    return { table, targets };
  } finally {
    await gate?.dispose();
    await uncached?.dispose();
    await bare?.dispose();
    await origin.close();
  }
}
