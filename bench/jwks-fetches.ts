/**
 * Key-set fetches (issue 6), counted at the loopback key-set server while the gate runs on
 * workerd: exactly one for 10,000 valid requests on a warm isolate; at most one per cooldown
 * window for 1,000 requests whose `kid` is unknown (each one a reason to refetch). Every phase
 * starts a fresh workerd, so no isolate or Cache API state carries over.
 */
import { bundleGate } from "../dev/workerd-build.ts";
import type { Fixture } from "./fixture.ts";
import { load } from "./gate-e2e.ts";
import { gateEnv } from "./gate.ts";
import { type Table, type Target } from "./report.ts";
import { randomKid, signMany } from "./tokens.ts";
import { startOrigin, startWorkerd } from "./workerd.ts";

export interface FetchOptions {
  validRequests: number;
  randomKidRequests: number;
  /** Short cooldown for the paced phase, so several windows fit in a few seconds. */
  shortCooldownSeconds: number;
  pacedSeconds: number;
}

function statuses(result: { statusCodeStats: Record<string, { count: number }> }): string {
  return Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}×${count}`).join(" ");
}

export async function benchKeySetFetches(fixture: Fixture, options: FetchOptions): Promise<{ table: Table; targets: Target[] }> {
  const origin = await startOrigin();
  const script = await bundleGate();
  const randomKidTokens = await signMany(fixture.keys, options.randomKidRequests, { kid: randomKid });
  const rows: Table["rows"] = [];
  const targets: Target[] = [];
  const server = fixture.keyServer;

  async function phase(env: Record<string, string>, run: (url: URL) => Promise<void>): Promise<void> {
    const workerd = await startWorkerd(script, gateEnv(fixture.issuer, fixture.keys.clientId, origin.url, env));
    try {
      await run(workerd.url);
    } finally {
      await workerd.dispose();
    }
  }

  try {
    // 1. Warm isolate: one request fetches the set; 10,000 more must not.
    await phase({}, async (url) => {
      server.reset();
      const warm = await load(url, "/api", fixture.tokens.slice(0, 1), { amount: 1, connections: 1 });
      const afterWarm = server.fetches;
      const result = await load(url, "/api", fixture.tokens, { amount: options.validRequests, connections: 10 });
      const total = server.fetches;
      rows.push(["warm-up: 1 valid request", statuses(warm), afterWarm, ""]);
      rows.push([`then ${options.validRequests.toLocaleString("en-US")} valid requests, 10 connections`, statuses(result), total - afterWarm, "0"]);
      targets.push({ name: `key-set fetches, 1 + ${options.validRequests} valid requests`, goal: "exactly 1", value: String(total), met: total === 1 });
    });

    // 2. Cold isolate under a burst (informative): Workers forbids sharing one request's fetch with another.
    await phase({}, async (url) => {
      server.reset();
      const result = await load(url, "/api", fixture.tokens, { amount: 10, connections: 10 });
      rows.push(["cold isolate: 10 valid requests at once", statuses(result), server.fetches, "info"]);
    });

    // 3. Unknown kids, default cooldown: the whole burst falls in one window.
    await phase({}, async (url) => {
      await load(url, "/api", fixture.tokens.slice(0, 1), { amount: 1, connections: 1 });
      server.reset();
      const start = performance.now();
      const result = await load(url, "/api", randomKidTokens, { amount: options.randomKidRequests, connections: 10 });
      const seconds = (performance.now() - start) / 1000;
      const allowed = Math.floor(seconds / 30) + 1;
      rows.push([`${options.randomKidRequests} random-kid requests, cooldown 30 s (${seconds.toFixed(1)} s)`, statuses(result), server.fetches, `≤ ${allowed}`]);
      targets.push({ name: `key-set fetches, ${options.randomKidRequests} random kids (30 s cooldown)`, goal: `≤ ${allowed}`, value: String(server.fetches), met: server.fetches <= allowed });
    });

    // 4. Unknown kids paced over several short windows: at most one fetch per window.
    const cooldown = options.shortCooldownSeconds;
    await phase({ JWKS_COOLDOWN_SECONDS: String(cooldown) }, async (url) => {
      await load(url, "/api", fixture.tokens.slice(0, 1), { amount: 1, connections: 1 });
      server.reset();
      const start = performance.now();
      const rate = Math.ceil(options.randomKidRequests / options.pacedSeconds);
      const result = await load(url, "/api", randomKidTokens, { amount: options.randomKidRequests, connections: 10, overallRate: rate });
      const seconds = (performance.now() - start) / 1000;
      // Windows the phase touches; the warm-up fetch opened the first one just before it.
      const allowed = Math.ceil(seconds / cooldown);
      rows.push([`${options.randomKidRequests} random-kid requests, cooldown ${cooldown} s, paced over ${seconds.toFixed(1)} s`, statuses(result), server.fetches, `≤ ${allowed}`]);
      targets.push({ name: `key-set fetches, ${options.randomKidRequests} random kids (${cooldown} s cooldown)`, goal: `≤ ${allowed} (1 per window)`, value: String(server.fetches), met: server.fetches <= allowed });
    });
  } finally {
    await origin.close();
  }
  return {
    table: {
      title: "Key-set fetches on workerd (counted at the key-set server; fresh workerd per phase)",
      head: ["phase", "answers", "fetches", "allowed"],
      rows,
      notes: ["Key set served with cache-control max-age=300; the gate's JWKS_CACHE_SECONDS default is 600."],
    },
    targets,
  };
}
