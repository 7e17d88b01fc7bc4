// Browser tests for the elements: headless Debian Chromium (never a downloaded browser), one
// real cognito-local for the run, test files bundled by test/components/build.ts.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultReporter } from "@web/test-runner";
import { chromeLauncher } from "@web/test-runner-chrome";
import { cognitoPlugin } from "./.build/server/plugin.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function count(suite, totals) {
  for (const test of suite?.tests ?? []) {
    if (test.skipped) continue;
    if (test.passed) totals.passed++;
    else totals.failed++;
  }
  for (const child of suite?.suites ?? []) count(child, totals);
}

/** Writes test/.results/components.json ({ passed, failed }) for the top-level runner. */
function resultsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0 };
      for (const session of sessions) {
        count(session.testResults, totals);
        // A file that failed to load has no test results but must not read as green.
        if (!session.passed && (session.errors?.length ?? 0) > 0) totals.failed++;
      }
      const file = join(root, "test", ".results", "components.json");
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(totals)}\n`);
    },
  };
}

/** A free loopback port, so the test server never collides with another run or a dev server. */
const port = await new Promise((resolve, reject) => {
  const probe = createServer();
  probe.once("error", reject);
  probe.listen(0, "127.0.0.1", () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});

export default {
  rootDir: root,
  hostname: "127.0.0.1",
  port,
  files: ["test/.build/**/*.test.js"],
  concurrency: 1,
  concurrentBrowsers: 1,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  browserStartTimeout: 60_000,
  testFramework: { config: { timeout: 30_000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: "/usr/bin/chromium",
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      },
    }),
  ],
  plugins: [cognitoPlugin({ screenshotDir: join(root, "test", "screenshots"), root })],
  reporters: [defaultReporter(), resultsReporter()],
};
