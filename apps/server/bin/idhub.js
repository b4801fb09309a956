#!/usr/bin/env node
// The `idhub` command. Builds the server (turbo: a cache hit when nothing changed) so a fresh
// clone or an edited tree never runs stale code, then runs the compiled CLI. Build output goes
// to stderr: stdout belongs to the command (`--json` output is parsed by scripts).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
if (!process.env.IDHUB_SKIP_BUILD) {
  try {
    execFileSync("pnpm", ["exec", "turbo", "run", "build", "--filter=@idhub/server...", "--output-logs=errors-only"], {
      cwd: root,
      stdio: ["ignore", process.stderr, process.stderr],
    });
  } catch {
    console.error("idhub: building the server failed (see above)");
    process.exit(1);
  }
}
await import(new URL("../dist/cli.js", import.meta.url).href);
