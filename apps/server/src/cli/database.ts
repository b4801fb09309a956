import type { Core } from "@idhub/core";
import { openDatabase, type Database } from "@idhub/db";
import type { Config } from "../config.js";
import { coreFor } from "../production-core.js";

/**
 * Opens and migrates the configured database, runs `work` with a core on it, and closes it.
 * Commands run migrations like `start` does, so a command never sees an outdated schema.
 */
export async function withDatabase<T>(config: Config, work: (core: Core, database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config.databaseUrl, { sqliteSync: config.sqliteSync });
  try {
    await database.migrate();
    return await work(coreFor(database, config), database);
  } finally {
    await database.close();
  }
}
