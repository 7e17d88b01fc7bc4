/**
 * Where the gate's time goes inside workerd: a V8 CPU profile of the isolate bench
 * (bench/isolate-worker.ts) taken through workerd's inspector, summarised by function.
 * Not part of `npm run bench`; run it when a target is missed:
 *
 *   npx tsx bench/profile-isolate.ts [variant=handle] [ops=20000]
 *
 * Writes the raw profile to bench/.build/<variant>.cpuprofile (open it in Chrome DevTools).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { freePort } from "../dev/cognito-local.ts";
import { createFixture } from "./fixture.ts";
import { bundleIsolateBench } from "./gate-isolate.ts";
import { startWorkerd } from "./workerd.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const variant = process.argv[2] ?? "handle";
const ops = Number(process.argv[3] ?? 20_000);
// ws ships no types here; the slice used is tiny.
const WebSocket = createRequire(import.meta.url)("ws") as any;

const fixture = await createFixture(3000);
const inspectorPort = await freePort();
const workerd = await startWorkerd(await bundleIsolateBench(), {}, { inspectorPort });
try {
  const load = await fetch(new URL("/load", workerd.url), {
    method: "POST",
    body: JSON.stringify({ tokens: fixture.tokens, jwks: fixture.keys.jwks, issuer: fixture.issuer, clientId: fixture.keys.clientId }),
  });
  if (!load.ok) throw new Error(await load.text());
  await fetch(new URL(`/prepare?variant=${variant}&n=1000`, workerd.url));
  await fetch(new URL(`/run?c=1`, workerd.url)); // warm-up
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{ webSocketDebuggerUrl: string; title: string }>;
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((r, j) => (ws.once("open", r), ws.once("error", j)));
  let id = 0;
  const pending = new Map<number, (v: any) => void>();
  ws.on("message", (data: Buffer) => {
    const msg = JSON.parse(String(data));
    if (msg.id && pending.has(msg.id)) pending.get(msg.id)!(msg.result), pending.delete(msg.id);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<any>((r) => {
      pending.set(++id, r);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await fetch(new URL(`/prepare?variant=${variant}&n=${ops}`, workerd.url));
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 50 });
  await send("Profiler.start");
  const cpu0 = workerd.cpuSeconds();
  await fetch(new URL(`/run?c=1`, workerd.url));
  const cpuUs = ((workerd.cpuSeconds() - cpu0) / ops) * 1e6;
  const { profile } = (await send("Profiler.stop")) as { profile: Profile };
  ws.close();

  const dir = resolve(import.meta.dirname, ".build");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${variant}.cpuprofile`), JSON.stringify(profile));

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url ? `${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber + 1}` : ""}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((sample, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const node = byId.get(sample)!;
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = sample; at !== undefined; at = parent.get(at)) {
      const l = label(byId.get(at)!);
      if (!seen.has(l)) inclusive.set(l, (inclusive.get(l) ?? 0) + dt), seen.add(l);
    }
  });
  const show = (title: string, map: Map<string, number>, n: number) => {
    console.log(`\n${title} (µs per op, of ${(total / ops).toFixed(0)} sampled; /proc says ${cpuUs.toFixed(0)} µs CPU per op)`);
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${(us / ops).toFixed(1).padStart(8)}  ${name}`);
  };
  show(`self time, variant ${variant}`, self, 30);
  show(`inclusive time, variant ${variant}`, inclusive, 45);
} finally {
  await workerd.dispose();
  await fixture.close();
}
process.exit(0);
