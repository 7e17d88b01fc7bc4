/**
 * How the package's modules depend on each other: imports point one way (elements → i18n → auth),
 * the auth core stands alone (no elements, no messages, no lit), the hosted UI module is pure
 * OAuth, and there is no import cycle, type-only imports included. Read from the sources with
 * TypeScript's own parser, so `import type` and `export … from` count as edges too.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const components = join(root, "components");

/** Every module under components/ (the build scripts excepted) → the modules and packages it names. */
function graph(): Map<string, string[]> {
  const files = readdirSync(components, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith(".ts") && !file.startsWith("build/"));
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(components, file), "utf8"), ts.ScriptTarget.ES2022);
    const named: string[] = [];
    source.forEachChild((node) => {
      const specifier = (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) return;
      const target = specifier.text;
      named.push(target.startsWith(".") ? relative(components, resolve(components, dirname(file), target)) : target);
    });
    edges.set(file, named);
  }
  return edges;
}

/** The first cycle found by depth-first search, as a path; undefined when there is none. */
function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!edges.has(next)) continue;
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of edges.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

describe("module structure of components/", () => {
  const edges = graph();
  const importsOf = (prefix: string) => [...edges].filter(([file]) => file.startsWith(prefix)).flatMap(([file, targets]) => targets.map((target) => `${file} → ${target}`));

  it("reads the modules (the test sees the real tree)", () => {
    expect(edges.get("auth/client.ts")).toContain("auth/session.ts");
    expect(edges.size).toBeGreaterThan(20);
  });

  it("has no import cycle, type-only imports included", () => {
    expect(findCycle(edges)).toBeUndefined();
  });

  it("finds a cycle when there is one (the check itself works)", () => {
    expect(findCycle(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]]))).toEqual(["a", "b", "c", "a"]);
  });

  it("keeps the auth core free of elements, messages and lit", () => {
    expect(importsOf("auth/").filter((edge) => /→ (elements\/|i18n\/|lit)/.test(edge))).toEqual([]);
  });

  it("keeps i18n free of elements", () => {
    expect(importsOf("i18n/").filter((edge) => /→ (elements\/|lit)/.test(edge))).toEqual([]);
  });

  it("keeps the hosted UI module pure OAuth: no elements, no store, no client, no DOM queries", () => {
    expect(edges.get("auth/hosted.ts")!.filter((target) => /elements\/|auth\/(store|client)\.ts/.test(target))).toEqual([]);
    expect(readFileSync(join(components, "auth", "hosted.ts"), "utf8")).not.toMatch(/querySelector|getElementBy|document\./);
  });

  it("uses no amazon-cognito-identity-js at run time", () => {
    expect([...edges.values()].flat().filter((target) => target.startsWith("amazon-cognito-identity-js"))).toEqual([]);
  });
});
