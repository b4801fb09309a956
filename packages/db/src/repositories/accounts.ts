import type { AccountRecord, AccountRepository, AccountStatus } from "@idhub/core";
import type { Kysely, Selectable } from "kysely";
import type { AccountsTable, DB } from "../schema.js";

const BOOTSTRAP = "bootstrap";

export const toAccount = (row: Selectable<AccountsTable>): AccountRecord => ({
  id: row.id,
  name: row.name,
  address: row.address,
  publicKey: row.public_key,
  privateKey: row.private_key,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (a: AccountRecord): AccountsTable => ({
  id: a.id,
  name: a.name,
  address: a.address,
  public_key: a.publicKey,
  private_key: a.privateKey,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
  disabled_at: null,
});

const toStatus = (row: Pick<Selectable<AccountsTable>, "id" | "name" | "address" | "created_at" | "disabled_at">): AccountStatus => ({
  id: row.id,
  name: row.name,
  address: row.address,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
});

const STATUS_COLUMNS = ["id", "name", "address", "created_at", "disabled_at"] as const;

export function accountRepository(db: Kysely<DB>): AccountRepository {
  return {
    async insert(account) {
      await db.insertInto("accounts").values(toRow(account)).execute();
    },

    async get(id) {
      const row = await db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toAccount(row);
    },

    async getByAddress(address) {
      const row = await db.selectFrom("accounts").selectAll().where("address", "=", address).executeTakeFirst();
      return row && toAccount(row);
    },

    async count() {
      const { n } = await db
        .selectFrom("accounts")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    async listStatus() {
      const rows = await db.selectFrom("accounts").select(STATUS_COLUMNS).orderBy("created_at").orderBy("id").execute();
      return rows.map(toStatus);
    },

    async getStatus(id) {
      const row = await db.selectFrom("accounts").select(STATUS_COLUMNS).where("id", "=", id).executeTakeFirst();
      return row && toStatus(row);
    },

    async setDisabledAt(id, disabledAt) {
      const result = await db.updateTable("accounts").set({ disabled_at: disabledAt }).where("id", "=", id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    // The primary key decides between racing processes; the loser's insert does nothing.
    async claimBootstrap() {
      const result = await db
        .insertInto("bootstrap_marker")
        .values({ id: BOOTSTRAP })
        .onConflict((oc) => oc.column("id").doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },
  };
}
