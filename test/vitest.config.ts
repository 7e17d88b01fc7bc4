import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Three projects: `worker` (the gate's unit and runtime tests), `auth` (the Cognito client's core
// against real servers: cognito-local, moto_server, and a test-side SRP server) and `e2e`
// (browser + stack tests).
// The machine has two cores and every file starts real processes (cognito-local, workerd, deno),
// so gate test files run one at a time.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    projects: [
      {
        extends: true,
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "auth",
          include: ["test/auth/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          // A journey step waits on the real stack (sign-in round trips, workerd), not on a timer.
          expect: { poll: { timeout: 20_000, interval: 100 } },
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
