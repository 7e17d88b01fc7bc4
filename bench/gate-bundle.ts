/**
 * The gate's deployable bundle: what `wrangler deploy --dry-run --outdir` would upload, minified
 * by wrangler's own build when wrangler.toml asks for it, then gzip -9 (what the Workers size
 * limit counts is the compressed upload).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { WORKERD_BUILD } from "../dev/workerd-build.ts";
import { kb, type Table } from "./report.ts";

const root = resolve(import.meta.dirname, "..");

export interface GateBundle {
  /** wrangler's upload, as it would deploy it. */
  wrangler?: { bytes: number; gzip: number; files: string[] } | undefined;
  /** The same entry through esbuild --minify, for scale. */
  minified?: { bytes: number; gzip: number } | undefined;
  error?: string;
}

export async function measureGateBundle(): Promise<GateBundle> {
  const result: GateBundle = {};
  const out = mkdtempSync(join(tmpdir(), "gate-bundle-"));
  try {
    const run = spawnSync(join(root, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", out], {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
      encoding: "utf8",
      timeout: 120_000,
    });
    const files = readdirSync(out, { recursive: true }).map(String).filter((f) => /\.(m?js|wasm)$/.test(f));
    if (run.status !== 0 || files.length === 0) {
      result.error = `wrangler deploy --dry-run failed: ${(run.stderr || run.stdout || "").trim().split("\n").slice(-3).join(" ")}`;
    } else {
      const bytes = files.map((f) => readFileSync(join(out, f)));
      result.wrangler = {
        bytes: bytes.reduce((n, b) => n + b.byteLength, 0),
        gzip: bytes.reduce((n, b) => n + gzipSync(b, { level: 9 }).byteLength, 0),
        files,
      };
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const built = await esbuild.build({ ...WORKERD_BUILD, minify: true, entryPoints: [join(root, "worker", "cloudflare.ts")] });
  const code = built.outputFiles[0]!.contents;
  result.minified = { bytes: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
  return result;
}

export function gateBundleTable(bundle: GateBundle): Table {
  return {
    title: "Gate deployable bundle (gzip -9), KB = 1000 B",
    head: ["bundle", "KB", "gzip KB"],
    rows: [
      ["wrangler deploy --dry-run (as uploaded)", kb(bundle.wrangler?.bytes), kb(bundle.wrangler?.gzip)],
      ["worker/cloudflare.ts, esbuild --minify", kb(bundle.minified?.bytes), kb(bundle.minified?.gzip)],
    ],
    notes: [
      "Workers limits: 3 MB gzip (free), 10 MB (paid).",
      ...(bundle.wrangler ? [`files: ${bundle.wrangler.files.join(", ")}`] : []),
      ...(bundle.error ? [bundle.error] : []),
    ],
  };
}
