/**
 * `npm run docs:images`: regenerates docs/images/ from the screenshot tests. Runs
 * test/components/screenshots.test.ts in headless Chromium (it saves every state under
 * test/screenshots/), then copies the `doc-*` desktop shots, light and dark, and the phone shots
 * of the sign-up with errors and of the sign-in's code step, into docs/images/ for the README.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const shots = join(root, "test", "screenshots");
const out = join(root, "docs", "images");

function run(command: string, args: string[]): void {
  const { status } = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (status !== 0) throw new Error(`${command} ${args.join(" ")} failed`);
}

run("npx", ["tsx", "test/components/build.ts"]);
run("npx", ["web-test-runner", "--config", "test/web-test-runner.config.mjs", "--files", "test/.build/screenshots.test.js"]);
mkdirSync(out, { recursive: true });
const phone = new Set(["doc-sign-up-errors-phone-light.png", "doc-sign-in-code-phone-light.png"]);
const wanted = readdirSync(shots).filter((file) => /^doc-.*-desktop-(light|dark)\.png$/.test(file) || phone.has(file));
for (const file of wanted) copyFileSync(join(shots, file), join(out, file.replace(/^doc-/, "")));
console.log(`copied ${wanted.length} images into docs/images/`);
