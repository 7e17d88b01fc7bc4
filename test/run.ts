/**
 * `npm test`: the typecheck and every suite, each run even when an earlier one failed, then one
 * closing line `N passed, N failed` summing them all (CI reads that line). Exits non-zero on any
 * failure, or when a suite produced no result at all.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

interface Suite {
  name: string;
  script: string;
  args?: string[];
  /** Where the suite writes its counts; absent for the typecheck, which counts as one check. */
  results?: string;
  /** The suite's test folder: a suite with no test files yet is reported, not run. */
  dir?: string;
}

const testDir = import.meta.dirname;
const resultsDir = join(testDir, ".results");

const suites: Suite[] = [
  { name: "typecheck", script: "typecheck" },
  {
    name: "worker",
    script: "test:worker",
    args: ["--reporter=default", "--reporter=json", `--outputFile.json=${join(resultsDir, "worker.json")}`],
    results: "worker.json",
    dir: "worker",
  },
  {
    name: "auth",
    script: "test:auth",
    args: ["--reporter=default", "--reporter=json", `--outputFile.json=${join(resultsDir, "auth.json")}`],
    results: "auth.json",
    dir: "auth",
  },
  { name: "components", script: "test:components", results: "components.json", dir: "components" },
  {
    name: "e2e",
    script: "test:e2e",
    args: ["--reporter=default", "--reporter=json", `--outputFile.json=${join(resultsDir, "e2e.json")}`],
    results: "e2e.json",
    dir: "e2e",
  },
];

interface Counts {
  passed: number;
  failed: number;
}

/** Reads vitest's JSON report or the components reporter's `{ passed, failed }`. */
function readCounts(file: string): Counts | undefined {
  try {
    const json = JSON.parse(readFileSync(join(resultsDir, file), "utf8"));
    if ("numPassedTests" in json) {
      const suiteErrors = (json.testResults ?? []).filter((r: any) => r.status === "failed" && !r.assertionResults?.length).length;
      return { passed: json.numPassedTests, failed: json.numFailedTests + suiteErrors };
    }
    return { passed: json.passed, failed: json.failed };
  } catch {
    return undefined;
  }
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const summary: Array<Counts & { name: string; exit: number }> = [];
const hasTests = (dir: string) =>
  readdirSync(join(testDir, dir), { recursive: true }).some((f) => /\.test\.ts$/.test(String(f)));

for (const suite of suites) {
  console.log(`\n▶ ${suite.name}`);
  if (suite.dir && !hasTests(suite.dir)) {
    console.log(`no tests in test/${suite.dir} yet`);
    continue;
  }
  const extra = suite.args ? ["--", ...suite.args] : [];
  const { status } = spawnSync("npm", ["run", "--silent", suite.script, ...extra], { stdio: "inherit" });
  const exit = status ?? 1;
  let counts: Counts;
  if (!suite.results) counts = exit === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  else {
    const read = readCounts(suite.results);
    // A suite that crashed before reporting, or reported nothing, is a failure, not zero tests.
    counts = read && read.passed + read.failed > 0 ? read : { passed: 0, failed: 1 };
    if (exit !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
  }
  summary.push({ name: suite.name, exit, ...counts });
}

console.log("\nsuite        passed  failed");
for (const s of summary) console.log(`${s.name.padEnd(12)} ${String(s.passed).padStart(6)}  ${String(s.failed).padStart(6)}`);
const passed = summary.reduce((n, s) => n + s.passed, 0);
const failed = summary.reduce((n, s) => n + s.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
