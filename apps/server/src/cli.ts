#!/usr/bin/env node
// The `idhub` command's entry point (bin/idhub.js runs the compiled one). Each command lives in
// cli/commands/, one file per command; cli/main.ts parses the arguments and dispatches.
import { runCli } from "./cli/main.js";

process.exitCode = await runCli(process.argv.slice(2));
