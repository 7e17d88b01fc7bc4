/**
 * How tests and benches bundle code for workerd, as wrangler does: esbuild, ESM, jose's and
 * aws-jwt-verify's workerd builds, in memory; and the compatibility date wrangler.toml deploys with.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as esbuild from "esbuild";

const REPO_ROOT = resolve(import.meta.dirname, "..");
const FALLBACK_DATE = "2026-04-01";

/** wrangler.toml's `compatibility_date`, so local runs behave as the deployed gate does. */
export function compatibilityDate(root = REPO_ROOT): string {
  try {
    const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
    return /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? FALLBACK_DATE;
  } catch {
    return FALLBACK_DATE;
  }
}

export const WORKERD_BUILD = {
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  target: "es2022",
  write: false,
  logLevel: "silent",
} as const satisfies esbuild.BuildOptions;

/** worker/cloudflare.ts, the Workers entry, as one ES module. */
export async function bundleGate(root = REPO_ROOT): Promise<string> {
  const built = await esbuild.build({ ...WORKERD_BUILD, entryPoints: [join(root, "worker", "cloudflare.ts")] });
  return built.outputFiles[0]!.text;
}
