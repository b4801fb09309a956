#!/usr/bin/env node
import { parseArgs } from "node:util";
import { isDomainError } from "@idhub/core";
import { openDatabase } from "@idhub/db";
import { loadConfig, type Config } from "./config.js";
import { coreFor } from "./core.js";
import { isClusterWorker, serveAsWorker, serveWithWorkers } from "./lifecycle/cluster.js";
import { runUntilSignal } from "./run.js";
import { startServer } from "./server.js";

const USAGE = `usage: idhub <command>

  start                                          serve HTTP (tRPC, both REST surfaces, docs)
  migrate                                        apply database migrations and exit
  account create --name <name> [--json]          create an account with a Super Admin user
  secret create --account <id> --user <id> [--json]
                                                 issue a new secret for a user (replaces the old one)

Configuration comes from the environment (PORT, HOST, IDHUB_DATABASE_URL, …; see README).`;

type Command = (config: Config, args: string[]) => Promise<void>;

const commands: Record<string, Command> = {
  async start(config) {
    if (isClusterWorker()) return serveAsWorker(config);
    if (config.workers > 1) return serveWithWorkers(config);
    const server = await startServer({ config });
    await runUntilSignal(server, ["SIGTERM", "SIGINT"], config.shutdownTimeoutMs + 1_000);
  },

  async migrate(config) {
    await withDatabase(config, async () => {
      console.log("database is up to date");
    });
  },

  async "account create"(config, args) {
    const { name, json } = options(args, { name: { type: "string" }, json: { type: "boolean" } } as const);
    if (!name) throw new UsageError("account create needs --name <name>");
    await withDatabase(config, async (core) => {
      const created = await core.admin.createAccount({ name });
      const result = {
        account: created.account.id,
        address: created.account.address,
        user: created.user.id,
        role: created.role.id,
        secret: created.secret,
      };
      print(json, result, [
        `Created account "${created.account.name}" ${result.account}`,
        `  address: ${result.address}`,
        `  Super Admin user: ${result.user} (role ${result.role})`,
        `  secret (shown once): ${result.secret}`,
      ]);
    });
  },

  async "secret create"(config, args) {
    const { account, user, json } = options(args, {
      account: { type: "string" },
      user: { type: "string" },
      json: { type: "boolean" },
    } as const);
    if (!account || !user) throw new UsageError("secret create needs --account <id> --user <id>");
    await withDatabase(config, async (core) => {
      const issued = await core.admin.issueSecret({ account, user });
      print(json, { account, user, secret: issued.secret }, [`secret (shown once): ${issued.secret}`]);
    });
  },
};

class UsageError extends Error {}

type OptionSpec = Record<string, { type: "string" | "boolean" }>;
type OptionValues<T extends OptionSpec> = { [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string };

function options<T extends OptionSpec>(args: string[], spec: T): OptionValues<T> {
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values as OptionValues<T>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function print(json: boolean | undefined, value: object, lines: string[]): void {
  console.log(json ? JSON.stringify(value) : lines.join("\n"));
}

/** Opens and migrates the configured database, runs `work` with a core on it, and closes it. */
async function withDatabase(config: Config, work: (core: ReturnType<typeof coreFor>) => Promise<void>) {
  const database = await openDatabase(config.databaseUrl, { sqliteSync: config.sqliteSync });
  try {
    await database.migrate();
    await work(coreFor(database, config));
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const twoWords = `${argv[0]} ${argv[1]}`;
  const [name, rest] = commands[twoWords] ? [twoWords, argv.slice(2)] : [argv[0] ?? "", argv.slice(1)];
  const command = commands[name];
  if (!command || argv.includes("--help")) {
    console.error(USAGE);
    return command || argv.includes("--help") ? 0 : 2;
  }
  try {
    await command(loadConfig(), rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) console.error(`idhub: ${error.message}\n\n${USAGE}`);
    else if (isDomainError(error)) console.error(`idhub: ${error.message}`);
    else console.error(`idhub: ${(error as Error).message}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
