import { databaseClock, migrationStatus, openDatabase, sqliteWalBytes, type Database } from "@idhub/db";
import type { Config } from "../../config.js";
import { EXIT, defineCommand } from "../command.js";

// Thresholds: a WAL this large means checkpoints are blocked (architecture.md: an open statement
// once grew it to 24 GB); clocks further apart than this break expiry and If-Match reasoning.
const WAL_LIMIT_BYTES = 256 * 1024 * 1024;
const CLOCK_SKEW_LIMIT_MS = 1000;

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export const doctor = defineCommand({
  name: "doctor",
  summary: "check configuration, database, migrations, WAL size and clock; exit 1 if any fails",
  options: {},
  details:
    `Read-only: applies no migration, writes nothing. Fails when the configuration does not parse,\n` +
    `the database does not answer, migrations are pending, the SQLite WAL exceeds ${WAL_LIMIT_BYTES / 1024 / 1024} MB,\n` +
    `or this machine's clock and the database's differ by more than ${CLOCK_SKEW_LIMIT_MS} ms.\n` +
    "--json prints {ok, checks: [{name, ok, detail}]}.",
  async run({ config, out }) {
    const checks = await runChecks(config);
    const ok = checks.every((check) => check.ok);
    out.result(
      { ok, checks },
      checks.map((check) => `${check.ok ? "ok  " : "FAIL"}  ${check.name.padEnd(14)} ${check.detail}`),
    );
    return ok ? EXIT.ok : EXIT.failed;
  },
});

async function runChecks(loadConfig: () => Config): Promise<Check[]> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    return [{ name: "configuration", ok: false, detail: (error as Error).message }];
  }
  const checks: Check[] = [{ name: "configuration", ok: true, detail: `database ${describeUrl(config.databaseUrl)}, port ${config.port}` }];
  let database: Database | undefined;
  try {
    database = await openDatabase(config.databaseUrl, { sqliteSync: config.sqliteSync });
    const reachable = await database.store.ping().catch(() => false);
    checks.push({ name: "database", ok: reachable, detail: reachable ? `${database.dialect} answers` : `${database.dialect} does not answer` });
    if (!reachable) return checks;
    const { applied, pending } = await migrationStatus(database.db, database.dialect);
    checks.push({
      name: "migrations",
      ok: pending.length === 0,
      detail: pending.length === 0 ? `${applied.length} applied, none pending` : `pending: ${pending.join(", ")} (run idhub migrate)`,
    });
    const wal = await sqliteWalBytes(config.databaseUrl);
    checks.push({
      name: "wal",
      ok: wal === undefined || wal <= WAL_LIMIT_BYTES,
      detail: wal === undefined ? "no write-ahead log" : `${(wal / 1024 / 1024).toFixed(1)} MB`,
    });
    const before = Date.now();
    const theirs = await databaseClock(database);
    const skew = theirs - (before + Date.now()) / 2;
    checks.push({ name: "clock", ok: Math.abs(skew) <= CLOCK_SKEW_LIMIT_MS, detail: `${new Date().toISOString()}, database differs by ${Math.round(skew)} ms` });
  } catch (error) {
    checks.push({ name: "database", ok: false, detail: (error as Error).message });
  } finally {
    await database?.close();
  }
  return checks;
}

/** The URL without credentials: never print a password. */
function describeUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//");
}
