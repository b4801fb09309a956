import { parseArgs } from "node:util";
import { isDomainError } from "@idhub/core";
import { loadConfig, type Config } from "../config.js";
import { EXIT, UsageError, type Command, type OptionSpec, type Output } from "./command.js";
import { COMMANDS } from "./commands/index.js";

/** Options every command takes; added here so help and behaviour are the same everywhere. */
const COMMON: OptionSpec = {
  json: { type: "boolean", help: "machine-readable output: JSON on stdout (errors as JSON on stderr)" },
  help: { type: "boolean", help: "show this help" },
};

export interface Streams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * Runs one CLI invocation and resolves with its exit code (see EXIT). Tests call it in-process
 * with their own streams and environment; bin/idhub.js runs it on the process's own.
 */
export async function runCli(
  argv: readonly string[],
  streams: Streams = process,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const command = findCommand(argv);
  const wantsJson = argv.includes("--json");
  if (!command) {
    const asksHelp = argv.length === 0 ? false : ["help", "--help", "-h"].includes(argv[0]!);
    streams[asksHelp ? "stdout" : "stderr"].write(`${globalUsage(argv[0])}\n`);
    return asksHelp ? EXIT.ok : EXIT.usage;
  }
  const rest = argv.slice(command.name.split(" ").length);
  try {
    const { json, help, ...options } = parseOptions(command, rest);
    if (help) {
      streams.stdout.write(`${commandHelp(command)}\n`);
      return EXIT.ok;
    }
    let config: Config | undefined;
    const code = await command.run({
      options: options as never,
      json: json === true,
      config: () => (config ??= loadConfig(env)),
      out: output(json === true, streams),
    });
    return code ?? EXIT.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (wantsJson) streams.stderr.write(`${JSON.stringify({ error: { exitCode: code, code: errorCode(error), message } })}\n`);
    else if (error instanceof UsageError) streams.stderr.write(`idhub: ${message}\n\n${commandHelp(command)}\n`);
    else streams.stderr.write(`idhub: ${message}\n`);
    return code;
  }
}

/** The longest command name the arguments start with ("account create" before "account"). */
function findCommand(argv: readonly string[]): Command | undefined {
  const candidates = COMMANDS.filter((command) => command.name.split(" ").every((word, i) => argv[i] === word));
  return candidates.sort((a, b) => b.name.length - a.name.length)[0];
}

function parseOptions(command: Command, args: string[]): Record<string, string | boolean | undefined> {
  const spec = { ...command.options, ...COMMON };
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args,
      options: Object.fromEntries(Object.entries(spec).map(([name, def]) => [name, { type: def.type }])),
      strict: true,
      allowPositionals: command.argument !== undefined,
    });
    values = parsed.values as Record<string, string | boolean | undefined>;
    if (command.argument) {
      if (parsed.positionals.length > 1) throw new Error(`${command.name} takes one <${command.argument.name}>`);
      values.argument = parsed.positionals[0];
    }
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return values;
  if (command.argument && !values.argument) throw new UsageError(`${command.name} needs <${command.argument.name}>`);
  for (const [name, def] of Object.entries(command.options)) {
    if (def.type === "boolean") values[name] = values[name] === true;
    else if (def.required && (values[name] === undefined || values[name] === "")) {
      throw new UsageError(`${command.name} needs --${name} <${def.value ?? "value"}>`);
    }
  }
  return values;
}

function output(json: boolean, streams: Streams): Output {
  return {
    result: (value, human) => {
      const text = json ? JSON.stringify(value) : typeof human === "string" ? human : human.join("\n");
      streams.stdout.write(`${text}\n`);
    },
    note: (line) => void streams.stderr.write(`${line}\n`),
  };
}

function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (isDomainError(error) && error.kind === "NOT_FOUND") return EXIT.notFound;
  return EXIT.failed;
}

function errorCode(error: unknown): string {
  if (error instanceof UsageError) return "usage";
  if (isDomainError(error)) return error.code;
  return "failed";
}

function usageLine(command: Command): string {
  const options = Object.entries(command.options).map(([name, def]) => {
    const flag = def.type === "string" ? `--${name} <${def.value ?? "value"}>` : `--${name}`;
    return def.required ? flag : `[${flag}]`;
  });
  const argument = command.argument ? [`<${command.argument.name}>`] : [];
  return ["idhub", command.name, ...argument, ...options, "[--json]"].join(" ");
}

function commandHelp(command: Command): string {
  const rows = Object.entries({ ...command.options, ...COMMON }).map(([name, def]) => {
    const flag = def.type === "string" ? `--${name} <${def.value ?? "value"}>` : `--${name}`;
    return `  ${flag.padEnd(24)} ${def.help}${def.required ? " (required)" : ""}`;
  });
  const argument = command.argument ? [`  <${command.argument.name}>`.padEnd(26) + ` ${command.argument.help}`] : [];
  return [`usage: ${usageLine(command)}`, "", command.summary, "", "options:", ...argument, ...rows, ...(command.details ? ["", command.details] : []), "", EXIT_HELP].join("\n");
}

const EXIT_HELP = "exit codes: 0 ok, 1 failed, 2 usage error, 3 not found";

/** The list of commands; narrowed to a group ("idhub account") when its first word names one. */
function globalUsage(group?: string): string {
  const inGroup = COMMANDS.filter((command) => command.name.split(" ")[0] === group);
  const listed = inGroup.length > 0 ? inGroup : COMMANDS;
  return [
    "usage: idhub <command> [options]   (idhub <command> --help for its options)",
    "",
    ...listed.map((command) => `  ${command.name.padEnd(18)} ${command.summary}`),
    "",
    "Configuration comes from the environment (PORT, HOST, IDHUB_DATABASE_URL, …; see README).",
    EXIT_HELP,
  ].join("\n");
}
