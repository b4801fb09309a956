#!/usr/bin/env node
// The `idhub` command: runs the built CLI, and never builds. Building here rewrote dist/ in
// place on every start, so processes started together (N servers, cluster workers, a CLI call
// beside a running server) loaded half-written files and crashed with "Cannot find module", and
// every cold start paid for the build. `pnpm start` and `pnpm build` build before; this only runs
// what is built: dist/idhub.js, the CLI bundled into one file (scripts/bundle.mjs: loading ~900
// separate modules was most of the cold start).
import { existsSync } from "node:fs";

const cli = new URL("../dist/idhub.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("idhub: the server is not built yet: run `pnpm build` (or `pnpm start`, which builds first)");
  process.exit(1);
}
await import(cli.href);
