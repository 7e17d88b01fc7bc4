/**
 * `npm run bench`: every benchmark of issue 6 in one run, printed as tables beside their
 * baselines, then one table of targets. Loopback only; every phase is bounded in time.
 * Benchmarks print; they never fail on a missed target (a size budget is asserted by
 * test/e2e/bundle-size.test.ts instead, sizes being deterministic).
 *
 * BENCH_QUICK=1 shortens every phase (for trying the harness, not for numbers).
 * BENCH_ONLY=workerd,end-to-end runs only the sections whose names contain one of those words.
 * BENCH_DIAG=1 adds diagnostic rows (pieces of the authenticated path) to the workerd table.
 * When a target is missed: `npx tsx bench/profile-isolate.ts handle` profiles the gate in workerd.
 */
import { bundleTable, measureBundles } from "./bundle.ts";
import { gateBundleTable, measureGateBundle } from "./gate-bundle.ts";
import { benchEndToEnd } from "./gate-e2e.ts";
import { benchInProcess } from "./gate-inprocess.ts";
import { benchIsolate } from "./gate-isolate.ts";
import { benchKeySetFetches } from "./jwks-fetches.ts";
import { createFixture } from "./fixture.ts";
import { render, renderTargets, type Target } from "./report.ts";
import { benchSrp } from "./srp.ts";

const quick = process.env.BENCH_QUICK === "1";
const started = performance.now();
const targets: Target[] = [];

function elapsed(): string {
  return `${((performance.now() - started) / 1000).toFixed(0)} s`;
}

const only = process.env.BENCH_ONLY?.toLowerCase().split(",").filter(Boolean);

function section<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
  if (only && !only.some((word) => name.toLowerCase().includes(word))) return Promise.resolve(undefined);
  process.stderr.write(`[bench ${elapsed()}] ${name}…\n`);
  return work().catch((error: unknown) => {
    console.log(`\n## ${name}\n  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    targets.push({ name, goal: "runs", value: "failed (see above)", met: false });
    return undefined;
  });
}

console.log(`cognito-elements benchmarks · node ${process.version} · ${(await import("node:os")).cpus().length} cores · ${new Date().toISOString()}`);

await section("Browser bundle", async () => {
  const { table, targets: t } = bundleTable(await measureBundles());
  console.log(render(table));
  targets.push(...t);
});

await section("SRP sign-in in Chromium", async () => {
  const out = await benchSrp({ rounds: quick ? 5 : 15 });
  console.log(render(out.table));
  targets.push(...out.targets);
});

await section("Gate bundle", async () => {
  console.log(render(gateBundleTable(await measureGateBundle())));
});

const fixture = await createFixture(quick ? 500 : 3000);

await section("In-process gate", async () => {
  const out = await benchInProcess(fixture, {
    syntheticTokens: quick ? 500 : 3000,
    cognitoTokens: quick ? 20 : 200,
    rounds: quick ? 3 : 5,
    concurrencies: [1, 16],
  });
  for (const table of out.tables) console.log(render(table));
  targets.push(...out.targets);
});

await section("Gate inside workerd", async () => {
  const out = await benchIsolate(fixture, { ops: quick ? 1000 : 3000, rounds: quick ? 3 : 7, concurrencies: [1] });
  console.log(render(out.table));
  targets.push(...out.targets);
});

// Miniflare, as the issue asks, and workerd alone: Miniflare's entry worker costs each request
// about three times the gate's whole pass-through, which buries the gate's share in its noise.
for (const runtime of ["miniflare", "workerd"] as const) {
  await section(`End-to-end gate (${runtime})`, async () => {
      const out = await benchEndToEnd(fixture, { runtime, seconds: 1, connections: 10, rounds: quick ? 3 : 8 });
    console.log(render(out.table));
    targets.push(...out.targets);
  });
}

await section("Key-set fetches", async () => {
  const out = await benchKeySetFetches(fixture, {
    validRequests: quick ? 1000 : 10_000,
    randomKidRequests: 1000,
    shortCooldownSeconds: 1,
    pacedSeconds: quick ? 2 : 4,
  });
  console.log(render(out.table));
  targets.push(...out.targets);
});

await fixture.close();
console.log(renderTargets(targets));
console.log(`\ntotal ${elapsed()}`);
// Lingering keep-alive sockets must not hold the run open.
process.exit(0);
