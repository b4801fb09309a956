import { conflict, type Action, type Role, type RoleRepository } from "@idhub/core";
import type { Kysely, Selectable } from "kysely";
import type { DB, RolesTable } from "../schema.js";
import { accountRecords } from "./account-records.js";
import { isForeignKeyViolation } from "./errors.js";

export const toRole = (row: Selectable<RolesTable>): Role => ({
  id: row.id,
  account: row.account,
  name: row.name,
  statement: {
    effect: row.effect,
    actions: row.actions === null ? null : (JSON.parse(row.actions) as Action[]),
  },
  rules: { twinRule: row.twin_rule, entryRule: row.entry_rule, identityRule: row.identity_rule },
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (role: Role): RolesTable => ({
  id: role.id,
  account: role.account,
  name: role.name,
  effect: role.statement.effect,
  actions: role.statement.actions === null ? null : JSON.stringify(role.statement.actions),
  twin_rule: role.rules.twinRule,
  entry_rule: role.rules.entryRule,
  identity_rule: role.rules.identityRule,
  created_at: role.createdAt,
  updated_at: role.updatedAt,
});

export function roleRepository(db: Kysely<DB>): RoleRepository {
  const records = accountRecords(db, "roles", toRole, toRow);
  return {
    ...records,

    async delete(account, id) {
      try {
        return await records.delete(account, id);
      } catch (error) {
        // users.role is ON DELETE RESTRICT: a user assigned the role after the caller's isInUse
        // check (a race) still stops the delete, and it means the same thing.
        if (isForeignKeyViolation(error)) {
          throw conflict("access.role.inUse", "The role is held by a user and cannot be deleted.");
        }
        throw error;
      }
    },

    async isInUse(account, id) {
      const row = await db
        .selectFrom("users")
        .select("id")
        .where("account", "=", account)
        .where("role", "=", id)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
