import { openDatabase, restoreSqlite } from "@idhub/db";
import { defineCommand } from "../command.js";
import { printedPostgresCommand } from "../postgres-tools.js";

export const restore = defineCommand({
  name: "restore",
  summary: "restore a backup into an empty database (PostgreSQL: print the pg_restore command)",
  argument: { name: "file", help: "a file written by `idhub backup`" },
  options: {},
  details:
    "SQLite: the configured database must be empty (missing, or without accounts); the backup is checked, copied, " +
    "then migrated to this version. Stop the servers first. PostgreSQL: prints the pg_restore command. " +
    "--json prints {dialect, file} or {dialect, command}.",
  async run({ options, config, out }) {
    const settings = config();
    const file = options.argument!;
    if (printedPostgresCommand(settings.databaseUrl, file, "restore", out)) return;
    restoreSqlite(file, settings.databaseUrl);
    const database = await openDatabase(settings.databaseUrl, { sqliteSync: settings.sqliteSync });
    try {
      await database.migrate(); // a backup of an older version gets this version's schema
    } finally {
      await database.close();
    }
    out.result({ dialect: "sqlite", file }, `restored ${file}`);
  },
});
