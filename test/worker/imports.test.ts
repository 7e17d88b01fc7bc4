/**
 * How the gate's modules depend on each other: no import cycle, type-only imports included, and
 * only the two entries reach the runtime (`Deno`, Workers' `caches`). Read with TypeScript's own
 * parser, so `import type` and `export … from` count as edges.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { findCycle, importGraph } from "../support/import-graph.ts";

const worker = resolve(import.meta.dirname, "../../worker");
const files = readdirSync(worker).filter((file) => file.endsWith(".ts"));

describe("module structure of worker/", () => {
  it("has no import cycle, type-only imports included", () => {
    const graph = importGraph(worker, (file) => !file.includes("/"));
    expect(graph.get("cloudflare.ts"), "the graph is read").toContain("http.ts");
    expect(findCycle(graph)).toBeUndefined();
  });

  it("reaches Deno only from worker/deno.ts and the Cache API only from worker/cloudflare.ts", () => {
    for (const file of files) {
      const text = readFileSync(join(worker, file), "utf8");
      if (file !== "deno.ts") expect(/\bDeno\b/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "")), file).toBe(false);
      if (file !== "cloudflare.ts") expect(/\bcaches\b/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "")), file).toBe(false);
    }
  });
});
