import type { Database } from "@idhub/db";
import type { Logger } from "pino";
import { announceBootstrap, bootstrapSecretPath } from "../bootstrap.js";
import type { Config } from "../config.js";
import { coreFor } from "../production-core.js";

export interface PrepareOptions {
  logger: Logger;
  /** Where a first-start secret is written; defaults to beside the SQLite file, or ./data/. */
  bootstrapSecretFile?: string | undefined;
  /** Where a first-start secret is printed. */
  stdout: { write(text: string): unknown };
}

/**
 * What happens once per start of the service, before any request is served: apply migrations, and
 * on an empty database create the first account. A single server does it itself; with
 * IDHUB_WORKERS the cluster primary does it once, before forking workers.
 */
export async function prepareDatabase(database: Database, config: Config, opts: PrepareOptions): Promise<void> {
  await database.migrate();
  const created = await coreFor(database, config).admin.bootstrap();
  if (created) {
    const file = opts.bootstrapSecretFile ?? bootstrapSecretPath(config.databaseUrl);
    await announceBootstrap(created, { file, logger: opts.logger, stdout: opts.stdout });
  }
}
