import { sql, type Kysely } from "kysely";
import type { SqlDialect } from "../schema.js";

// What each quota counts (twins an account owns, identities on a twin, metadata records an account
// holds), kept by the database itself: a trigger on every insert and delete of a counted row keeps
// the counters exact, whatever code path writes. A quota check is then a read of a few counter rows
// instead of a count that grows with the tenant (it was half of an upsert's time at tens of
// thousands of records).
//
// Each (quota, scope) is split over a few shards: on PostgreSQL a connection writes the shard of
// its backend (pid mod 8), so concurrent transactions of one account do not queue on one counter
// row's lock until they commit (that serialised every group's inserts); usage is the shards' sum.
// SQLite has one writer and uses shard 0.

/** quota name → the counted table and the column that is the counter's scope. */
const COUNTED = [
  { quota: "twins", table: "twins", scope: "owner" },
  { quota: "identitiesPerTwin", table: "identities", scope: "twin" },
  { quota: "metadataRecords", table: "identity_metadata", scope: "owner" },
] as const;

export async function up(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("usage_counters")
    .addColumn("quota", "text", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("shard", "integer", (c) => c.notNull())
    .addColumn("used", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_counters_pk", ["quota", "scope", "shard"])
    .execute();
  for (const { quota, table, scope } of COUNTED) {
    await sql`insert into usage_counters (quota, scope, shard, used)
      select ${quota}, ${sql.ref(scope)}, 0, count(*) from ${sql.table(table)} group by ${sql.ref(scope)}`.execute(db);
  }
  if (dialect === "postgres") await postgresTriggers(db);
  else await sqliteTriggers(db);
}

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  for (const { quota, table, scope } of COUNTED) {
    const q = sql.lit(quota);
    await sql`create trigger ${sql.id(`${table}_counted_insert`)} after insert on ${sql.table(table)} begin
      insert into usage_counters (quota, scope, shard, used) values (${q}, new.${sql.ref(scope)}, 0, 1)
        on conflict (quota, scope, shard) do update set used = used + 1;
      end`.execute(db);
    await sql`create trigger ${sql.id(`${table}_counted_delete`)} after delete on ${sql.table(table)} begin
      update usage_counters set used = used - 1 where quota = ${q} and scope = old.${sql.ref(scope)} and shard = 0;
      end`.execute(db);
  }
}

async function postgresTriggers(db: Kysely<any>): Promise<void> {
  // One function for every counted table: TG_ARGV says which quota and which column is the scope.
  // `set search_path from current` binds it to the schema the migration runs in.
  await sql`create function count_usage() returns trigger language plpgsql set search_path from current as $$
    declare
      delta integer := case when tg_op = 'INSERT' then 1 else -1 end;
      counted jsonb := to_jsonb(case when tg_op = 'INSERT' then new else old end);
    begin
      insert into usage_counters (quota, scope, shard, used)
        values (tg_argv[0], counted ->> tg_argv[1], pg_backend_pid() % 8, delta)
        on conflict (quota, scope, shard) do update set used = usage_counters.used + delta;
      return null;
    end $$`.execute(db);
  for (const { quota, table, scope } of COUNTED) {
    await sql`create trigger ${sql.id(`${table}_counted`)} after insert or delete on ${sql.table(table)}
      for each row execute function count_usage(${sql.lit(quota)}, ${sql.lit(scope)})`.execute(db);
  }
}

export async function down(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  for (const { table } of COUNTED) {
    if (dialect === "postgres") await sql`drop trigger ${sql.id(`${table}_counted`)} on ${sql.table(table)}`.execute(db);
    else {
      await sql`drop trigger ${sql.id(`${table}_counted_insert`)}`.execute(db);
      await sql`drop trigger ${sql.id(`${table}_counted_delete`)}`.execute(db);
    }
  }
  if (dialect === "postgres") await sql`drop function count_usage()`.execute(db);
  await db.schema.dropTable("usage_counters").execute();
}
