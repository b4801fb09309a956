import { runCli } from "../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one CLI invocation in this process (the same dispatcher bin/idhub.js runs), with its own
 * environment and captured output: fast enough to test every command and flag. Each invocation
 * opens its own database connection, as a separate `idhub` process would.
 */
export async function cli(env: Record<string, string>, ...argv: string[]): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, { stdout: { write: (t: string) => stdout.push(t) }, stderr: { write: (t: string) => stderr.push(t) } }, {
    LOG_LEVEL: "silent",
    ...env,
  });
  return { code, stdout: stdout.join(""), stderr: stderr.join("") };
}

/** The JSON document a `--json` run printed (one line). */
export const json = (run: CliRun): any => JSON.parse(run.stdout);
