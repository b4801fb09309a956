import type { PinRecord, SecretOwner, SecretRecord, SecretRepository } from "@idhub/core";
import type { CompiledQuery, Kysely, Selectable } from "kysely";
import type { DB, SecretPinsTable, SecretsTable } from "../schema.js";
import { toRole } from "./roles.js";
import { toUser } from "./users.js";

export const toSecret = (row: Selectable<SecretsTable>): SecretRecord => ({
  account: row.account,
  user: row.user_id,
  hash: row.hash,
  fingerprint: row.fingerprint,
  validityAt: row.validity_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toSecretRow = (s: SecretRecord): SecretsTable => ({
  user_id: s.user,
  account: s.account,
  hash: s.hash,
  fingerprint: s.fingerprint,
  validity_at: s.validityAt,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

const toPin = (row: Selectable<SecretPinsTable>): PinRecord => ({
  account: row.account,
  hash: row.hash,
  user: row.user_id,
  secretValidityAt: row.secret_validity_at,
  expiresAt: row.expires_at,
  createdAt: row.created_at,
});

const toPinRow = (p: PinRecord): SecretPinsTable => ({
  account: p.account,
  hash: p.hash,
  user_id: p.user,
  secret_validity_at: p.secretValidityAt,
  expires_at: p.expiresAt,
  created_at: p.createdAt,
});

/** Secret, user, role and account address in one row, by hash (see findOwnerByHash). */
const compileOwnerQuery = (db: Kysely<DB>) =>
  db
    .selectFrom("secrets as s")
    .innerJoin("users as u", (j) => j.onRef("u.id", "=", "s.user_id").onRef("u.account", "=", "s.account"))
    .innerJoin("roles as r", (j) => j.onRef("r.id", "=", "u.role").onRef("r.account", "=", "u.account"))
    .innerJoin("accounts as a", "a.id", "s.account")
    .select([
      "s.user_id as s_user_id",
      "s.account as s_account",
      "s.hash as s_hash",
      "s.fingerprint as s_fingerprint",
      "s.validity_at as s_validity_at",
      "s.created_at as s_created_at",
      "s.updated_at as s_updated_at",
      "u.id as u_id",
      "u.role as u_role",
      "u.name as u_name",
      "u.description as u_description",
      "u.created_at as u_created_at",
      "u.updated_at as u_updated_at",
      "r.id as r_id",
      "r.name as r_name",
      "r.effect as r_effect",
      "r.actions as r_actions",
      "r.twin_rule as r_twin_rule",
      "r.entry_rule as r_entry_rule",
      "r.identity_rule as r_identity_rule",
      "r.created_at as r_created_at",
      "r.updated_at as r_updated_at",
      "a.address as address",
    ])
    .where("s.hash", "=", "") // the one parameter, replaced on every execution
    .where("a.disabled_at", "is", null) // a disabled account's secrets authenticate nobody
    .compile();

type OwnerRow = ReturnType<typeof compileOwnerQuery> extends CompiledQuery<infer Row> ? Row : never;

export function secretRepository(db: Kysely<DB>): SecretRepository {
  let ownerByHash: ReturnType<typeof compileOwnerQuery> | undefined;
  return {
    // The hot path of every authenticated request: one indexed read (secrets.hash is unique) that
    // brings the user, its role and the account's address along. Joins repeat `account` so a row
    // can never pair a secret with another tenant's user or role. Compiled once per repository:
    // building and compiling the query cost more than running it.
    async findOwnerByHash(hash) {
      ownerByHash ??= compileOwnerQuery(db);
      const { rows } = await db.executeQuery<OwnerRow>({ ...ownerByHash, parameters: [hash] });
      const row = rows[0];
      if (!row) return undefined;
      const owner: SecretOwner = {
        secret: toSecret({
          user_id: row.s_user_id,
          account: row.s_account,
          hash: row.s_hash,
          fingerprint: row.s_fingerprint,
          validity_at: row.s_validity_at,
          created_at: row.s_created_at,
          updated_at: row.s_updated_at,
        }),
        user: toUser({
          id: row.u_id,
          account: row.s_account,
          role: row.u_role,
          name: row.u_name,
          description: row.u_description,
          created_at: row.u_created_at,
          updated_at: row.u_updated_at,
        }),
        role: toRole({
          id: row.r_id,
          account: row.s_account,
          name: row.r_name,
          effect: row.r_effect,
          actions: row.r_actions,
          twin_rule: row.r_twin_rule,
          entry_rule: row.r_entry_rule,
          identity_rule: row.r_identity_rule,
          created_at: row.r_created_at,
          updated_at: row.r_updated_at,
        }),
        address: row.address,
      };
      return owner;
    },

    async get(account, user) {
      const row = await db
        .selectFrom("secrets")
        .selectAll()
        .where("account", "=", account)
        .where("user_id", "=", user)
        .executeTakeFirst();
      return row && toSecret(row);
    },

    // A user has at most one secret: upsert on user_id. Every column is replaced (account too, so
    // the composite foreign key re-checks that the user belongs to that account). A hash already
    // used by another user still violates the unique index and fails.
    async put(secret) {
      await db
        .insertInto("secrets")
        .values(toSecretRow(secret))
        .onConflict((oc) =>
          oc.column("user_id").doUpdateSet((eb) => ({
            account: eb.ref("excluded.account"),
            hash: eb.ref("excluded.hash"),
            fingerprint: eb.ref("excluded.fingerprint"),
            validity_at: eb.ref("excluded.validity_at"),
            created_at: eb.ref("excluded.created_at"),
            updated_at: eb.ref("excluded.updated_at"),
          })),
        )
        .execute();
    },

    async delete(account, user) {
      const result = await db
        .deleteFrom("secrets")
        .where("account", "=", account)
        .where("user_id", "=", user)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    // A 6-character PIN can collide with a live one of the same account: report it instead of
    // failing, so core can draw another.
    async insertPin(pin) {
      const result = await db
        .insertInto("secret_pins")
        .values(toPinRow(pin))
        .onConflict((oc) => oc.columns(["account", "hash"]).doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    async deleteExpiredPins(account, now) {
      await db.deleteFrom("secret_pins").where("account", "=", account).where("expires_at", "<=", now).execute();
    },

    // DELETE … RETURNING is one atomic statement: of two concurrent takers exactly one gets the
    // row (PostgreSQL's second DELETE waits on the row lock and then finds nothing). Kysely's
    // SQLite driver runs it with .all(), which finalizes the statement (see architecture.md's WAL
    // fact about .get()).
    async takePin(account, hash) {
      const row = await db
        .deleteFrom("secret_pins")
        .where("account", "=", account)
        .where("hash", "=", hash)
        .returningAll()
        .executeTakeFirst();
      return row && toPin(row);
    },
  };
}
