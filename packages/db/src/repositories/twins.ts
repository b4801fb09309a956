import type { JsonObject, Twin, TwinRepository } from "@idhub/core";
import type { Kysely, Selectable } from "kysely";
import type { DB, SqlDialect, TwinsTable } from "../schema.js";
import { usageOf } from "./usage.js";

export const toTwin = (row: Selectable<TwinsTable>): Twin => ({
  id: row.id,
  owner: row.owner,
  status: row.status,
  description: row.description === null ? null : (JSON.parse(row.description) as JsonObject),
  creator: row.creator,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  terminatedAt: row.terminated_at,
  terminatedBy: row.terminated_by,
  version: row.version,
});

const toRow = (twin: Twin): TwinsTable => ({
  id: twin.id,
  owner: twin.owner,
  status: twin.status,
  description: twin.description === null ? null : JSON.stringify(twin.description),
  creator: twin.creator,
  created_at: twin.createdAt,
  updated_at: twin.updatedAt,
  terminated_at: twin.terminatedAt,
  terminated_by: twin.terminatedBy,
  version: twin.version,
});

export function twinRepository(db: Kysely<DB>, dialect: SqlDialect): TwinRepository {
  const byId = (id: string) => db.selectFrom("twins").selectAll().where("id", "=", id);
  return {
    countOwned: (owner) => usageOf(db, dialect, "twins", owner),

    async insert(twin) {
      await db.insertInto("twins").values(toRow(twin)).execute();
    },

    async get(id) {
      const row = await byId(id).executeTakeFirst();
      return row && toTwin(row);
    },

    // SQLite transactions hold the database's write lock from their start (begin immediate), so
    // only PostgreSQL needs the row lock.
    async getForUpdate(id) {
      const query = byId(id);
      const row = await (dialect === "postgres" ? query.forUpdate() : query).executeTakeFirst();
      return row && toTwin(row);
    },

    // Owner, creator and creation time never change.
    async update(twin) {
      const { id, owner: _owner, creator: _creator, created_at: _created, ...changes } = toRow(twin);
      const result = await db.updateTable("twins").set(changes).where("id", "=", id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async listOwned({ owner, status, after, limit }) {
      let query = db.selectFrom("twins").selectAll().where("owner", "=", owner);
      if (status) query = query.where("status", "=", status);
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb("created_at", ">", after.createdAt),
            eb.and([eb("created_at", "=", after.createdAt), eb("id", ">", after.id)]),
          ]),
        );
      }
      const rows = await query.orderBy("created_at").orderBy("id").limit(limit).execute();
      return rows.map(toTwin);
    },
  };
}
