/**
 * SRP sign-in CPU in Chromium (issue 13, "Targets"): one USER_SRP_AUTH computation, A and the
 * PASSWORD_VERIFIER signature, by components/auth/srp.ts and by amazon-cognito-identity-js's
 * AuthenticationHelper (what CognitoUser does), on the same inputs, in headless Chromium.
 *
 * Each run is measured twice: the renderer main thread's CPU time (the DevTools Performance
 * domain's TaskDuration in thread ticks) and the wall time inside the page. Rounds alternate
 * which side goes first; medians. Both sides must produce the same A and signature, or the
 * section fails rather than compare two different computations.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium, type CDPSession, type Page } from "playwright-core";
import type { SrpBenchApi, SrpBenchInputs, SrpBenchResult } from "./srp-page.ts";
import { fixed, median, ratio, render, renderTargets, type Table, type Target } from "./report.ts";

const root = resolve(import.meta.dirname, "..");
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const OURS = "ours: srpStart + passwordVerifier";
const SDK = "SDK: AuthenticationHelper + HMAC";
type Kind = "ours" | "sdk";
/** The page's `globalThis` (page.evaluate sends the function's source, so no helper can wrap this). */
type PageGlobal = { srpBench: SrpBenchApi };

/** The page script, built as a user builds the SDK for browsers: its `global` defined as `globalThis`. */
async function bundlePage(): Promise<string> {
  const built = await esbuild.build({
    entryPoints: [join(root, "bench", "srp-page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    define: { global: "globalThis" },
    write: false,
    logLevel: "warning",
  });
  return built.outputFiles[0]!.text;
}

/** Loopback, so the page is a secure context and has crypto.subtle. */
async function serve(script: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === "/srp.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    } else {
      response.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><script type="module" src="/srp.js"></script>');
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** Fixed for the run, shared by both sides: a 1024-bit a (as both draw), a B below N, Cognito-sized salt and secret block. */
function inputs(): SrpBenchInputs {
  return {
    a: randomBytes(128).toString("hex"),
    poolName: "AbCdEf123",
    userId: "6f1c2a9e-0b7d-4b8e-9a51-3c2d1e0f9a8b",
    password: "Correct-Horse-Battery-9",
    // The top byte below 0xff keeps B below N (whose top 64 bits are all ones).
    srpB: `7f${randomBytes(383).toString("hex")}`,
    salt: randomBytes(16).toString("hex"),
    secretBlock: randomBytes(1000).toString("base64"),
    now: Date.UTC(2026, 10, 3, 9, 5, 7),
  };
}

interface Sample {
  result: SrpBenchResult;
  /** Renderer main-thread CPU, ms. */
  cpu: number;
}

async function taskCpu(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return (metrics.find((m) => m.name === "TaskDuration")?.value ?? NaN) * 1000;
}

async function measure(page: Page, cdp: CDPSession, kind: Kind, given: SrpBenchInputs, timestamp: string): Promise<Sample> {
  await page.evaluate(([k, i]) => (globalThis as unknown as PageGlobal).srpBench.prepare(k, i), [kind, given] as const);
  const before = await taskCpu(cdp);
  const result: SrpBenchResult = await page.evaluate(([k, t]) => (globalThis as unknown as PageGlobal).srpBench.run(k, t), [kind, timestamp] as const);
  return { result, cpu: (await taskCpu(cdp)) - before };
}

export async function benchSrp(options: { rounds: number }): Promise<{ table: Table; targets: Target[] }> {
  const script = await bundlePage();
  const { url, server } = await serve(script);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => "srpBench" in globalThis);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: "threadTicks" });

    const given = inputs();
    // Warm-up (JIT, lazy k), and the check that both sides compute the same thing.
    const first = await measure(page, cdp, "ours", given, "");
    const { timestamp } = first.result;
    const sdkFirst = await measure(page, cdp, "sdk", given, timestamp);
    if (first.result.srpA !== sdkFirst.result.srpA || first.result.signature !== sdkFirst.result.signature) {
      throw new Error("ours and the SDK disagree on SRP_A or the signature for the same inputs");
    }

    const samples: Record<Kind, Sample[]> = { ours: [], sdk: [] };
    for (let round = 0; round < options.rounds; round++) {
      const order: Kind[] = round % 2 ? ["sdk", "ours"] : ["ours", "sdk"];
      for (const kind of order) samples[kind].push(await measure(page, cdp, kind, given, timestamp));
    }

    const cpu = (kind: Kind) => median(samples[kind].map((s) => s.cpu));
    const wall = (kind: Kind) => median(samples[kind].map((s) => s.result.ms));
    const cpuKnown = Number.isFinite(cpu("ours")) && cpu("ours") > 0;
    const version = browser.version();
    const table: Table = {
      title: "SRP sign-in CPU in Chromium",
      head: ["computation", "CPU ms (median)", "wall ms in page", "vs SDK"],
      rows: [
        [OURS, fixed(cpu("ours"), 1), fixed(wall("ours"), 1), ratio(cpuKnown ? cpu("ours") : wall("ours"), cpuKnown ? cpu("sdk") : wall("sdk"))],
        [SDK, fixed(cpu("sdk"), 1), fixed(wall("sdk"), 1), "1.00×"],
      ],
      notes: [
        `Chromium ${version}, headless; ${options.rounds} alternating rounds after one warm-up each; same a, B, salt, secret block and timestamp; both produced the same SRP_A and signature.`,
        "CPU: the renderer main thread's task time (DevTools Performance.getMetrics TaskDuration, thread ticks); Web Crypto's hashing off that thread is in the wall time only.",
        "SDK: excludes `new AuthenticationHelper()` (k, and an A for a random a that the run then replaces), which a real SDK sign-in also pays.",
      ],
    };
    const [mine, theirs] = cpuKnown ? [cpu("ours"), cpu("sdk")] : [wall("ours"), wall("sdk")];
    const targets: Target[] = [
      {
        name: "SRP sign-in CPU in Chromium, ours vs the SDK",
        goal: "≤ 1.0×",
        value: `${ratio(mine, theirs)} (${fixed(mine, 1)} vs ${fixed(theirs, 1)} ms${cpuKnown ? " CPU" : " wall, no CPU metric"})`,
        met: mine / theirs <= 1.0,
      },
    ];
    return { table, targets };
  } finally {
    await browser.close();
    server.close();
  }
}

// `npx tsx bench/srp.ts` runs this section alone.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { table, targets } = await benchSrp({ rounds: Number(process.env.SRP_ROUNDS ?? 15) });
  console.log(render(table));
  console.log(renderTargets(targets));
}
