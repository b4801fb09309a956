import type {
  AuditLogEntry,
  JsonValue,
  RelationshipRecord,
  RelationshipRepository,
  RelationshipStatus,
  StoredRelationship,
} from "@idhub/core";
import { CompiledQuery, sql, type Kysely } from "kysely";
import type { DB, SqlDialect } from "../schema.js";

const OPEN: RelationshipStatus[] = ["Pending", "Active", "Terminated", "DeletionProposed"];

export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Every relationship column plus both parties' address and public key (two joins on accounts). */
function selectStored(db: Kysely<DB>) {
  return db
    .selectFrom("relationships as r")
    .innerJoin("accounts as f", "f.id", "r.from_account")
    .innerJoin("accounts as t", "t.id", "r.to_account")
    .select([
      "r.id",
      "r.template_id",
      "r.from_account",
      "r.to_account",
      "r.status",
      "r.creation_content",
      "r.audit_log",
      "r.from_decomposed",
      "r.to_decomposed",
      "r.created_at",
      "r.updated_at",
      "r.version",
      "f.address as from_address",
      "f.public_key as from_public_key",
      "t.address as to_address",
      "t.public_key as to_public_key",
    ]);
}

type StoredRow = Awaited<ReturnType<ReturnType<typeof selectStored>["executeTakeFirstOrThrow"]>>;

const toStored = (row: StoredRow): StoredRelationship => ({
  id: row.id,
  templateId: row.template_id,
  from: row.from_account,
  to: row.to_account,
  status: row.status as RelationshipStatus,
  creationContent: JSON.parse(row.creation_content) as JsonValue,
  auditLog: JSON.parse(row.audit_log) as AuditLogEntry[],
  fromDecomposed: row.from_decomposed === 1,
  toDecomposed: row.to_decomposed === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
  fromParty: { account: row.from_account, address: row.from_address, publicKey: row.from_public_key },
  toParty: { account: row.to_account, address: row.to_address, publicKey: row.to_public_key },
});

const changes = (r: RelationshipRecord) => ({
  status: r.status,
  audit_log: JSON.stringify(r.auditLog),
  from_decomposed: r.fromDecomposed ? 1 : 0,
  to_decomposed: r.toDecomposed ? 1 : 0,
  updated_at: r.updatedAt,
  version: r.version,
});

/**
 * The familiarity probe of every upsert about a peer, written once per dialect (no per-request query
 * building): the peer's account by address (unique index), then a relationship between the two that
 * `account` has not decomposed (one index probe per side).
 */
const HAS_PEER_SQL = (dialect: SqlDialect) => {
  const [addr, from, to] = dialect === "postgres" ? ["$1", "$2", "$3"] : ["?", "?", "?"];
  return (
    `select 1 as found from accounts p where p.address = ${addr} and (` +
    `exists (select 1 from relationships r where r.from_account = ${from} and r.to_account = p.id and r.from_decomposed = 0) or ` +
    `exists (select 1 from relationships r where r.to_account = ${to} and r.from_account = p.id and r.to_decomposed = 0))`
  );
};
const HAS_PEER = { sqlite: HAS_PEER_SQL("sqlite"), postgres: HAS_PEER_SQL("postgres") };

export function relationshipRepository(db: Kysely<DB>, dialect: SqlDialect): RelationshipRepository {
  return {
    // ON CONFLICT DO NOTHING (no target: any unique index) instead of catching the violation, which
    // would abort a PostgreSQL transaction. The only realistic conflict is the open-pair index.
    async insert(r) {
      const result = await db
        .insertInto("relationships")
        .values({
          id: r.id,
          template_id: r.templateId,
          from_account: r.from,
          to_account: r.to,
          pair_key: pairKey(r.from, r.to),
          creation_content: JSON.stringify(r.creationContent),
          created_at: r.createdAt,
          ...changes(r),
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    async get(id) {
      const row = await selectStored(db).where("r.id", "=", id).executeTakeFirst();
      return row && toStored(row);
    },

    // One keyset query per side (each served by its (account, created_at, id) index, migration
    // 0009), merged here: an OR of both sides could not read either index in order. The merge
    // compares ids by code unit, so SQL compares them bytewise too (COLLATE "C" on PostgreSQL,
    // SQLite's default BINARY): a database collation that orders "a" before "B" would otherwise
    // disagree with the merge on ties of created_at.
    async listFor(account, { after, limit }) {
      const id = dialect === "postgres" ? sql<string>`r.id collate "C"` : sql<string>`r.id`;
      const side = (column: "r.from_account" | "r.to_account", decomposed: "r.from_decomposed" | "r.to_decomposed") => {
        let query = selectStored(db).where(column, "=", account).where(decomposed, "=", 0);
        if (after) {
          query = query.where((eb) => eb.or([eb("r.created_at", ">", after.at), eb.and([eb("r.created_at", "=", after.at), eb(id, ">", after.id)])]));
        }
        return query.orderBy("r.created_at").orderBy(id).limit(limit).execute();
      };
      const [from, to] = await Promise.all([side("r.from_account", "r.from_decomposed"), side("r.to_account", "r.to_decomposed")]);
      return [...from, ...to]
        .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, limit)
        .map(toStored);
    },

    async findOpen(a, b) {
      const row = await selectStored(db)
        .where("r.pair_key", "=", pairKey(a, b))
        .where("r.status", "in", OPEN)
        .executeTakeFirst();
      return row && toStored(row);
    },

    async update(r, expectedVersion) {
      const result = await db
        .updateTable("relationships")
        .set(changes(r))
        .where("id", "=", r.id)
        .where("version", "=", expectedVersion)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async delete(id) {
      const result = await db.deleteFrom("relationships").where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async hasPeer(account, address) {
      const { rows } = await db.executeQuery(CompiledQuery.raw(HAS_PEER[dialect], [address, account, account]));
      return rows.length > 0;
    },
  };
}
