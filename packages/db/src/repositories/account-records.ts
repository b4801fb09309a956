import type { AccountRecords } from "@idhub/core";
import type { Kysely, Selectable } from "kysely";
import type { DB } from "../schema.js";

/** The tables that hold account records (`AccountRecords` in core): keyed by (account, id). */
type RecordTable = "users" | "roles";

/** The columns every record table has. */
interface RecordRow {
  id: string;
  account: string;
  created_at: number;
  updated_at: number;
}

/**
 * The one implementation of core's `AccountRecords` port, over a table of that shape: rows mapped
 * to records and back by the caller, listed in keyset order, updated whole except `created_at`.
 */
export function accountRecords<T extends RecordTable, R>(
  db: Kysely<DB>,
  table: T,
  toRecord: (row: Selectable<DB[T]>) => R,
  toRow: (record: R) => DB[T],
): AccountRecords<R> {
  // Kysely resolves no column of a table whose name is still a type parameter, so the queries are
  // typed against the columns every record table has. The other columns pass through: Kysely
  // writes the keys of the row it is given and `selectAll` reads every column back.
  const records = db as unknown as Kysely<Record<string, RecordRow>>;
  const name: string = table;
  const fromRow = toRecord as unknown as (row: RecordRow) => R;
  const rowOf = (record: R): RecordRow => toRow(record);
  return {
    async insert(record) {
      await records.insertInto(name).values(rowOf(record)).execute();
    },

    async get(account, id) {
      const row = await records.selectFrom(name).selectAll().where("account", "=", account).where("id", "=", id).executeTakeFirst();
      return row && fromRow(row);
    },

    // Keyset order (created_at, id), served by <table>_account_created_idx (migration 0009).
    async list(account, { after, limit }) {
      let query = records.selectFrom(name).selectAll().where("account", "=", account);
      if (after) {
        query = query.where((eb) => eb.or([eb("created_at", ">", after.at), eb.and([eb("created_at", "=", after.at), eb("id", ">", after.id)])]));
      }
      const rows = await query.orderBy("created_at").orderBy("id").limit(limit).execute();
      return rows.map(fromRow);
    },

    async update(record) {
      const { id, account, created_at: _created, ...changes } = rowOf(record);
      const result = await records.updateTable(name).set(changes).where("account", "=", account).where("id", "=", id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async delete(account, id) {
      const result = await records.deleteFrom(name).where("account", "=", account).where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
