/**
 * How the package's modules depend on each other: imports point one way (elements → i18n → auth),
 * the auth core stands alone (no elements, no messages, no lit), the hosted UI module is pure
 * OAuth, and there is no import cycle, type-only imports included. Read from the sources with
 * TypeScript's own parser, so `import type` and `export … from` count as edges too.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { findCycle, importGraph } from "../support/import-graph.ts";

const root = resolve(import.meta.dirname, "../..");
const components = join(root, "components");

describe("module structure of components/", () => {
  const edges = importGraph(components, (file) => !file.startsWith("build/"));
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
