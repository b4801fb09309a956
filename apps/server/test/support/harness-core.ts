import type { CreatedAccount } from "@idhub/core";
import { openDatabase } from "@idhub/db";
import { loadConfig } from "../../src/config.js";
import { coreFor } from "../../src/production-core.js";

/** Creates accounts directly in a database that server processes serve (as `idhub account create` would). */
export async function createAccounts(databaseUrl: string, names: string[]): Promise<CreatedAccount[]> {
  const database = await openDatabase(databaseUrl);
  try {
    await database.migrate();
    const core = coreFor(database, loadConfig({}));
    const created: CreatedAccount[] = [];
    for (const name of names) created.push(await core.admin.createAccount({ name }));
    return created;
  } finally {
    await database.close();
  }
}
