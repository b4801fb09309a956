// A server in its own process, for tests that kill it (SIGKILL) or run two on one database.
// Started by spawnServer() in child-process.ts; configured by the environment like `idhub start`,
// plus IDHUB_TEST_PG_SCHEMA (the test's own PostgreSQL schema). Prints `READY <url>` once
// listening, and one JSON line per webhook attempt so the test knows which process delivered what.
import { openDatabase } from "@idhub/db";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { runUntilSignal } from "../../src/run.js";
import { startServer } from "../../src/server.js";

const config = loadConfig(process.env);
const database = await openDatabase(config.databaseUrl, { pgSchema: process.env.IDHUB_TEST_PG_SCHEMA || undefined });
const server = await startServer({
  config,
  database,
  logger: pino({ level: "warn" }, process.stderr),
  bootstrapSecretFile: process.env.IDHUB_TEST_BOOTSTRAP_FILE,
  stdout: { write: () => true },
  webhooks: { onAttempt: (attempt) => process.stdout.write(`${JSON.stringify({ attempt })}\n`) },
});
process.stdout.write(`READY ${server.url}\n`);
await runUntilSignal(server);
