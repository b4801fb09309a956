import type { Config } from "../config.js";

/**
 * One CLI command: its name ("account create"), a one-line summary, its options, and what it does.
 * The dispatcher (main.ts) adds `--json` and `--help` to every command, checks required options,
 * and builds the help text from these fields, so every command's help looks the same.
 */
export interface Command<O extends OptionSpec = OptionSpec> {
  name: string;
  summary: string;
  options: O;
  /** One positional argument (e.g. `backup <file>`), given to run() as `options.argument`. */
  argument?: { name: string; help: string };
  /** Extra paragraphs shown by `idhub <command> --help`. */
  details?: string;
  /** Resolves with the exit code (0 when omitted). */
  run(context: CommandContext<O>): Promise<number | void>;
}

export interface OptionDef {
  type: "string" | "boolean";
  help: string;
  /** Shown in usage as `--name <value>`. */
  value?: string;
  required?: boolean;
}
export type OptionSpec = Record<string, OptionDef>;

export type OptionValues<O extends OptionSpec> = {
  [K in keyof O]: O[K]["type"] extends "boolean" ? boolean : O[K]["required"] extends true ? string : string | undefined;
};

export interface CommandContext<O extends OptionSpec> {
  options: OptionValues<O> & { argument?: string };
  /** `--json` was given: print one JSON document (or one per line when following). */
  json: boolean;
  /** The environment's configuration, parsed on first use (so `version` works with a bad one). */
  config(): Config;
  out: Output;
}

export interface Output {
  /** Prints a result: JSON on one line with `--json`, otherwise the human-readable lines. */
  result(value: unknown, human: string | readonly string[]): void;
  /** Writes a line to stderr (progress, warnings): never mixed into `--json` output. */
  note(line: string): void;
}

/** Lets TypeScript infer the option values of a command from its option spec. */
export const defineCommand = <const O extends OptionSpec>(command: Command<O>): Command<O> => command;

/**
 * Exit codes, documented in the README's "Command line" section. Scripts rely on them; never reuse
 * a number for a different meaning.
 */
export const EXIT = {
  ok: 0,
  /** The operation failed: bad configuration, database unreachable, a domain rule, a doctor check. */
  failed: 1,
  /** Unknown command, unknown or missing option. */
  usage: 2,
  /** The account, user or secret named does not exist. */
  notFound: 3,
} as const;

/** A mistake in how the command was called: reported with the command's usage and exit code 2. */
export class UsageError extends Error {}
