import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DB } from "../schema.js";

export interface PostgresOptions {
  /** Schema to work in (becomes the connections' search_path); must already exist. */
  schema?: string | undefined;
}

const INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * int8 (bigint) as a JS number instead of pg's default string: our bigints are epoch milliseconds,
 * event sequence numbers and count(*) results, all far below 2^53. Set per pool, so other users
 * of `pg` in the process keep the defaults.
 */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    return oid === INT8_OID && format !== "binary" ? Number : pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig; // @types/pg declares an overload set; this one function serves them all

/** pg's default pool size, stated: the store runs at most this many transaction groups at once. */
export const PG_POOL_SIZE = 10;

/** How to connect, for the pool and for the change feed's LISTEN connection alike. */
export const connectionConfig = (url: string, options: PostgresOptions = {}): pg.ClientConfig => ({
  connectionString: url,
  types,
  ...searchPath(url, options.schema),
});

export function openPostgres(url: string, options: PostgresOptions = {}): Kysely<DB> {
  const pool = new pg.Pool({ ...connectionConfig(url, options), max: PG_POOL_SIZE });
  // An idle client that loses its connection (server restart, network) is dropped by the pool and
  // replaced on the next checkout; without a listener, node would crash on the 'error' event.
  pool.on("error", () => {});
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Sets search_path at connection start-up (no extra round trip per connection). */
function searchPath(url: string, schema: string | undefined): { options?: string } {
  if (schema === undefined) return {};
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name '${schema}'`);
  // pg lets an `options` parameter in the URL override the config field: refuse rather than
  // silently work in the wrong schema.
  if (/[?&]options=/.test(url)) throw new Error("A PostgreSQL schema cannot be combined with an options= URL parameter");
  return { options: `-c search_path=${schema}` };
}
