import { backupSqlite, openDatabase } from "@idhub/db";
import { defineCommand } from "../command.js";
import { printedPostgresCommand } from "../postgres-tools.js";

export const backup = defineCommand({
  name: "backup",
  summary: "copy the database to a file while servers keep serving (PostgreSQL: print the pg_dump command)",
  argument: { name: "file", help: "where the backup is written (must not exist)" },
  options: {},
  details:
    "SQLite: an online, consistent snapshot (VACUUM INTO): every write acknowledged before the backup began is in it. " +
    "PostgreSQL: prints the pg_dump command for the configured database (and schema) and changes nothing. " +
    "--json prints {dialect, file} or {dialect, command}.",
  async run({ options, config, out }) {
    const settings = config();
    const file = options.argument!;
    if (printedPostgresCommand(settings.databaseUrl, file, "backup", out)) return;
    const database = await openDatabase(settings.databaseUrl, { sqliteSync: settings.sqliteSync });
    try {
      await backupSqlite(database.db, file);
    } finally {
      await database.close();
    }
    out.result({ dialect: "sqlite", file }, `backed up to ${file}`);
  },
});
