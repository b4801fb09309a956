import type { IdentityMetadataRecord, IdentityMetadataRepository, JsonValue } from "@idhub/core";
import { CompiledQuery, sql, type Kysely, type Selectable } from "kysely";
import type { DB, IdentityMetadataTable, SqlDialect } from "../schema.js";
import { usageOf } from "./usage.js";

const toRecord = (row: Selectable<IdentityMetadataTable>): IdentityMetadataRecord => ({
  id: row.id,
  owner: row.owner,
  reference: row.reference,
  ...(row.has_key === 1 ? { key: row.key } : {}),
  value: JSON.parse(row.value) as JsonValue,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** "No key" is (has_key 0, key ''); any key, '' included, is (has_key 1, key). */
const keyColumns = (key: string | undefined) => (key === undefined ? { has_key: 0, key: "" } : { has_key: 1, key });

/**
 * The upsert of the benchmarked hot path (PUT IdentityMetadata), written once per dialect: building
 * and compiling the same Kysely query on every request costs about as much as executing it.
 */
const UPSERT_SQL = (dialect: SqlDialect) => {
  const p = (n: number) => (dialect === "postgres" ? `$${n}` : "?");
  return (
    "insert into identity_metadata (id, owner, reference, has_key, key, value, version, created_at, updated_at) " +
    `values (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, 1, ${p(7)}, ${p(8)}) ` +
    "on conflict (owner, reference, has_key, key) do update set value = excluded.value, " +
    "version = identity_metadata.version + 1, updated_at = excluded.updated_at " +
    "returning id, version, created_at"
  );
};
const UPSERT = { sqlite: UPSERT_SQL("sqlite"), postgres: UPSERT_SQL("postgres") };

export function identityMetadataRepository(db: Kysely<DB>, dialect: SqlDialect): IdentityMetadataRepository {
  const byKey = (owner: string, reference: string, key: string | undefined) => {
    const k = keyColumns(key);
    return { owner, reference, ...k };
  };

  return {
    countOwned: (owner) => usageOf(db, dialect, "metadataRecords", owner),

    async upsert(row, expectedVersion) {
      const k = keyColumns(row.key);
      if (expectedVersion !== undefined) {
        const updated = await db
          .updateTable("identity_metadata")
          .set({ value: row.valueJson, version: sql`version + 1`, updated_at: row.at })
          .where("owner", "=", row.owner)
          .where("reference", "=", row.reference)
          .where("has_key", "=", k.has_key)
          .where("key", "=", k.key)
          .where("version", "=", expectedVersion)
          .returning(["id", "version", "created_at"])
          .executeTakeFirst();
        return updated && { id: updated.id, version: updated.version, createdAt: updated.created_at };
      }
      // One statement, atomic on both dialects: concurrent first upserts of the same key end in one
      // row (the loser's INSERT turns into the UPDATE). RETURNING runs through .all() on SQLite.
      const { rows } = await db.executeQuery<{ id: string; version: number; created_at: number }>(
        CompiledQuery.raw(UPSERT[dialect], [row.id, row.owner, row.reference, k.has_key, k.key, row.valueJson, row.at, row.at]),
      );
      const stored = rows[0];
      if (!stored) throw new Error("identity_metadata upsert returned no row");
      return { id: stored.id, version: Number(stored.version), createdAt: Number(stored.created_at) };
    },

    async get(owner, reference, key) {
      const where = byKey(owner, reference, key);
      const row = await db
        .selectFrom("identity_metadata")
        .selectAll()
        .where("owner", "=", where.owner)
        .where("reference", "=", where.reference)
        .where("has_key", "=", where.has_key)
        .where("key", "=", where.key)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async delete(owner, reference, key, expectedVersion) {
      const where = byKey(owner, reference, key);
      let query = db
        .deleteFrom("identity_metadata")
        .where("owner", "=", where.owner)
        .where("reference", "=", where.reference)
        .where("has_key", "=", where.has_key)
        .where("key", "=", where.key);
      if (expectedVersion !== undefined) query = query.where("version", "=", expectedVersion);
      const row = await query.returningAll().executeTakeFirst();
      return row && toRecord(row);
    },

    async deleteByReference(owner, reference) {
      const rows = await db
        .deleteFrom("identity_metadata")
        .where("owner", "=", owner)
        .where("reference", "=", reference)
        .returning(["id", "has_key", "key"])
        .execute();
      return rows.map((r) => ({ id: r.id, ...(r.has_key === 1 ? { key: r.key } : {}) }));
    },

    async list(owner, { reference, keyPrefix, after, limit }) {
      let query = db.selectFrom("identity_metadata").selectAll().where("owner", "=", owner);
      if (reference !== undefined) query = query.where("reference", "=", reference);
      if (keyPrefix !== undefined) {
        query = query.where("has_key", "=", 1);
        // substr/length count characters (code points) on both dialects; no LIKE (escaping and
        // SQLite's case-insensitivity would differ).
        if (keyPrefix !== "") query = query.where(sql<string>`substr(key, 1, ${[...keyPrefix].length})`, "=", keyPrefix);
      }
      if (after !== undefined) {
        query = query.where((eb) =>
          eb(eb.refTuple("reference", "has_key", "key"), ">", eb.tuple(after.reference, after.hasKey ? 1 : 0, after.key)),
        );
      }
      const rows = await query.orderBy("reference").orderBy("has_key").orderBy("key").limit(limit).execute();
      return rows.map(toRecord);
    },
  };
}
