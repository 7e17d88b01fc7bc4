/**
 * SECURITY.md and the tests agree: every case it lists is a test named `SECURITY n: …` (the
 * elements' tests: `… (SECURITY n)`) in a file it names for that case, and every test so named
 * refers to a case it lists.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const text = readFileSync(join(root, "SECURITY.md"), "utf8");

/** Every test file under test/, by path from the root. */
const testFiles = (readdirSync(join(root, "test"), { recursive: true }) as string[])
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => join("test", file));

/** Case number → the test files its line or its section heading names. */
function cases(): Map<number, string[]> {
  const found = new Map<number, string[]>();
  let heading: string[] = [];
  const named = (line: string) =>
    [...line.matchAll(/`((?:test\/[\w/-]+\/)?[\w-]+\.test\.ts)`/g)].map(([, file]) => (file!.startsWith("test/") ? file! : join("test", "worker", file!)));
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) heading = named(line);
    const item = /^(\d+)\. /.exec(line);
    if (item) found.set(Number(item[1]), [...heading, ...named(line)]);
  }
  return found;
}

/** Case numbers a file's tests name: `SECURITY n: …` (the gate's tests) or `… (SECURITY n)` (the elements'). */
const named = (file: string) => [...readFileSync(join(root, file), "utf8").matchAll(/SECURITY (\d+)(?::|\))/g)].map(([, n]) => Number(n));

describe("SECURITY.md", () => {
  it("lists its cases in order from 1, each naming at least one test file that exists", () => {
    const listed = cases();
    expect([...listed.keys()]).toEqual(Array.from({ length: listed.size }, (_, i) => i + 1));
    for (const [n, files] of listed) {
      expect(files.length, `case ${n} names a test file`).toBeGreaterThan(0);
      for (const file of files) expect(testFiles, `case ${n}: ${file}`).toContain(file);
    }
  });

  it("has each case tested as `SECURITY n` in a file it names", () => {
    for (const [n, files] of cases()) {
      expect(files.some((file) => named(file).includes(n)), `SECURITY ${n} in ${files.join(", ")}`).toBe(true);
    }
  });

  it("lists every case a test names", () => {
    const listed = cases();
    for (const file of testFiles) for (const n of named(file)) expect(listed.has(n), `${file} names SECURITY ${n}`).toBe(true);
  });
});
