/**
 * How the gate's modules depend on each other: no import cycle, type-only imports included, and
 * only the two entries reach the runtime (`Deno`, Workers' `caches`). Read with TypeScript's own
 * parser, so `import type` and `export … from` count as edges.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const worker = resolve(import.meta.dirname, "../../worker");
const files = readdirSync(worker).filter((file) => file.endsWith(".ts"));

function edges(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(worker, file), "utf8"), ts.ScriptTarget.ES2022);
  const named: string[] = [];
  source.forEachChild((node) => {
    const specifier = (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith("./")) named.push(specifier.text.slice(2));
  });
  return named;
}

function cycle(): string[] | undefined {
  const graph = new Map(files.map((file) => [file, edges(file)]));
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const file of files) {
    const found = visit(file);
    if (found) return found;
  }
  return undefined;
}

describe("module structure of worker/", () => {
  it("has no import cycle, type-only imports included", () => {
    expect(cycle()).toBeUndefined();
  });

  it("reaches Deno only from worker/deno.ts and the Cache API only from worker/cloudflare.ts", () => {
    for (const file of files) {
      const text = readFileSync(join(worker, file), "utf8");
      if (file !== "deno.ts") expect(/\bDeno\b/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "")), file).toBe(false);
      if (file !== "cloudflare.ts") expect(/\bcaches\b/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "")), file).toBe(false);
    }
  });
});
