import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const REPO_ROOT = resolve(import.meta.dirname, "../../../..");

export interface ConsumerProject {
  /** A plain Node 20 ESM project outside the workspace with only the packed @idhub/sdk installed. */
  dir: string;
  remove(): Promise<void>;
}

/** Builds and packs @idhub/sdk, and installs the tarball into a fresh consumer project (as a user would). */
export async function installPackedSdk(): Promise<ConsumerProject> {
  await run("npx", ["turbo", "run", "build", "--filter=@idhub/sdk...", "--output-logs=errors-only"], { cwd: REPO_ROOT });
  const dir = await mkdtemp(join(tmpdir(), "idhub-sdk-consumer-"));
  await run("pnpm", ["pack", "--pack-destination", dir], { cwd: join(REPO_ROOT, "packages/sdk") });
  const tarball = (await readdir(dir)).find((f) => f.endsWith(".tgz"))!;
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { "@idhub/sdk": `file:./${tarball}` } }),
  );
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
