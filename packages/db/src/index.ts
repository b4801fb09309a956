export { openDatabase, DEFAULT_DATABASE_URL, type Database, type OpenOptions } from "./dialects/open.js";
export type { DB, SqlDialect } from "./schema.js";
export { backupSqlite, restoreSqlite, postgresCommands } from "./backup.js";
export { databaseClock, migrationStatus, sqliteWalBytes } from "./diagnostics.js";
export type { CommittedChange, DbStore } from "./store.js";
