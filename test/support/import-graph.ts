/**
 * A folder's import graph, read with TypeScript's own parser so `import type` and `export … from`
 * count as edges, and the first cycle in it. For the tests that hold the modules' directions.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** Every `.ts` module under `root` that `keep` accepts → what it names: modules as paths relative to `root`, packages as written. */
export function importGraph(root: string, keep: (file: string) => boolean = () => true): Map<string, string[]> {
  const files = readdirSync(root, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith(".ts") && keep(file));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(root, file), "utf8"), ts.ScriptTarget.ES2022);
    const named: string[] = [];
    source.forEachChild((node) => {
      const specifier = (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) return;
      const target = specifier.text;
      named.push(target.startsWith(".") ? relative(root, resolve(root, dirname(file), target)) : target);
    });
    graph.set(file, named);
  }
  return graph;
}

/** The first cycle found by depth-first search, as a path; undefined when there is none. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}
