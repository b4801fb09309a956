import type { JsonObject, User, UserRepository } from "@idhub/core";
import type { Kysely, Selectable } from "kysely";
import type { DB, UsersTable } from "../schema.js";
import { accountRecords } from "./account-records.js";

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

// Deleting a user takes its secret and PINs with it (ON DELETE CASCADE).
export const userRepository = (db: Kysely<DB>): UserRepository => accountRecords(db, "users", toUser, toRow);
