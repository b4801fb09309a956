import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** Debian's chromium, headless, rendering a page and printing the DOM after its scripts ran. */
export async function renderedDom(url: string): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), "idhub-chromium-"));
  try {
    const { stdout } = await exec(
      "chromium",
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        // The machine has no network: keep Chromium from calling home at all.
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        `--user-data-dir=${profile}`, "--virtual-time-budget=10000", "--dump-dom", url,
      ],
      { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
