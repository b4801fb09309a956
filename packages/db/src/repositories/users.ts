import type { JsonObject, User, UserRepository } from "@idhub/core";
import type { Kysely, Selectable } from "kysely";
import type { DB, UsersTable } from "../schema.js";

export const toUser = (row: Selectable<UsersTable>): User => ({
  id: row.id,
  account: row.account,
  role: row.role,
  name: row.name,
  description: row.description === null ? null : (JSON.parse(row.description) as JsonObject),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (user: User): UsersTable => ({
  id: user.id,
  account: user.account,
  role: user.role,
  name: user.name,
  description: user.description === null ? null : JSON.stringify(user.description),
  created_at: user.createdAt,
  updated_at: user.updatedAt,
});

export function userRepository(db: Kysely<DB>): UserRepository {
  return {
    async insert(user) {
      await db.insertInto("users").values(toRow(user)).execute();
    },

    async get(account, id) {
      const row = await db
        .selectFrom("users")
        .selectAll()
        .where("account", "=", account)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toUser(row);
    },

    async list(account) {
      const rows = await db
        .selectFrom("users")
        .selectAll()
        .where("account", "=", account)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toUser);
    },

    async update(user) {
      const { id, account, created_at: _created, ...changes } = toRow(user);
      const result = await db.updateTable("users").set(changes).where("account", "=", account).where("id", "=", id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    // The user's secret and PINs go with it (ON DELETE CASCADE).
    async delete(account, id) {
      const result = await db
        .deleteFrom("users")
        .where("account", "=", account)
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
