import type { Generated } from "kysely";

// Kysely's view of the tables. Column names are snake_case as stored; the repositories map rows to
// core's camelCase entities. Timestamps are epoch milliseconds (bigint, parsed as JS numbers on
// PostgreSQL), JSON is text, ids are application-generated text.

export interface AccountsTable {
  id: string;
  name: string;
  address: string;
  public_key: string;
  private_key: string;
  created_at: number;
  updated_at: number;
}

/** One row ('bootstrap') once the first-start bootstrap has been claimed. */
export interface BootstrapMarkerTable {
  id: string;
}

export interface RolesTable {
  id: string;
  account: string;
  name: string;
  effect: "allow" | "deny";
  /** JSON array of action names, or null. */
  actions: string | null;
  twin_rule: string | null;
  entry_rule: string | null;
  identity_rule: string | null;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  account: string;
  role: string;
  name: string | null;
  /** JSON object, or null. */
  description: string | null;
  created_at: number;
  updated_at: number;
}

export interface SecretsTable {
  user_id: string;
  account: string;
  hash: string;
  fingerprint: string;
  validity_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SecretPinsTable {
  account: string;
  hash: string;
  user_id: string;
  secret_validity_at: number | null;
  expires_at: number;
  created_at: number;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  account: string;
  type: string;
  subject: string;
  actor: string | null;
  at: number;
  /** JSON value. */
  data: string;
}

export interface DB {
  accounts: AccountsTable;
  bootstrap_marker: BootstrapMarkerTable;
  roles: RolesTable;
  users: UsersTable;
  secrets: SecretsTable;
  secret_pins: SecretPinsTable;
  events: EventsTable;
}

export type SqlDialect = "sqlite" | "postgres";
