/**
 * The package as a user installs it: `npm pack`, unpacked as `node_modules/cognito-elements` of a
 * new project folder. The folder sits inside the repository's node_modules/.cache, so the project
 * resolves lit, jose, react … from the repository's node_modules by walking up, as an installed
 * package finds its dependencies. Build first (`npm run build` or its parts): pack takes dist/.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const root = resolve(import.meta.dirname, "../..");
const exec = promisify(execFile);

export interface Installed {
  /** The new project's folder. */
  readonly dir: string;
  /** Where the package was unpacked (`<dir>/node_modules/cognito-elements`). */
  readonly installed: string;
  /** The packed files, as `npm pack` lists them. */
  readonly files: readonly string[];
}

/** A new project folder named `prefix…` with the packed package installed. */
export async function installPacked(prefix: string): Promise<Installed> {
  const cache = join(root, "node_modules", ".cache");
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(join(cache, prefix));
  const { stdout } = await exec("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: root, maxBuffer: 64 << 20 });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const installed = join(dir, "node_modules", "cognito-elements");
  await mkdir(installed, { recursive: true });
  await exec("tar", ["-xzf", join(dir, packed!.filename), "-C", installed, "--strip-components=1"]);
  return { dir, installed, files: packed!.files.map((file) => file.path) };
}
