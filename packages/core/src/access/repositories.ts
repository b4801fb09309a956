import type { KeysetPage } from "../shared/pagination.js";
import type { AccountRecord, AccountStatus } from "./account.js";
import type { Role } from "./role.js";
import type { PinRecord, SecretRecord } from "./secret.js";
import type { User } from "./user.js";

// Ports implemented by @idhub/db. Every look-up is scoped by account: a record of another account
// is simply not found, which is how tenant isolation reaches the storage layer.

export interface AccountRepository {
  insert(account: AccountRecord): Promise<void>;
  get(id: string): Promise<AccountRecord | undefined>;
  getByAddress(address: string): Promise<AccountRecord | undefined>;
  count(): Promise<number>;
  /** Every account, oldest first, as operators see it. */
  listStatus(): Promise<AccountStatus[]>;
  getStatus(id: string): Promise<AccountStatus | undefined>;
  /** Disables (a time) or enables (null) the account; false when there is no such account. */
  setDisabledAt(id: string, disabledAt: number | null): Promise<boolean>;
  /** Inserts the one-time bootstrap marker; false when it already exists (another process won). */
  claimBootstrap(): Promise<boolean>;
}

/**
 * A record of one account kept whole under its id (users, roles): listed by (createdAt, id), replaced
 * whole on update. Users and roles share this port and its one implementation in @idhub/db.
 */
export interface AccountRecords<R> {
  insert(record: R): Promise<void>;
  get(account: string, id: string): Promise<R | undefined>;
  /** The account's records by (createdAt, id), after `after`, at most `limit`. */
  list(account: string, page: KeysetPage): Promise<R[]>;
  /** False when the record no longer exists (a concurrent delete). */
  update(record: R): Promise<boolean>;
  /** False when no such record. */
  delete(account: string, id: string): Promise<boolean>;
}

/** `delete` fails with CONFLICT (`access.role.inUse`) when a user holds the role. */
export interface RoleRepository extends AccountRecords<Role> {
  isInUse(account: string, id: string): Promise<boolean>;
}

/** `delete` takes the user's secret and PINs with it. */
export type UserRepository = AccountRecords<User>;

/** The user, role and account that own a secret: everything authentication needs, in one read. */
export interface SecretOwner {
  secret: SecretRecord;
  user: User;
  role: Role;
  address: string;
}

export interface SecretRepository {
  findOwnerByHash(hash: string): Promise<SecretOwner | undefined>;
  get(account: string, user: string): Promise<SecretRecord | undefined>;
  /** Inserts or replaces the user's one secret. */
  put(secret: SecretRecord): Promise<void>;
  delete(account: string, user: string): Promise<boolean>;
  /** False when the account already has a live PIN with that hash (a collision: draw another). */
  insertPin(pin: PinRecord): Promise<boolean>;
  deleteExpiredPins(account: string, now: number): Promise<void>;
  /** Deletes and returns the pin if it exists (single use, atomic). Expiry is checked by the caller. */
  takePin(account: string, hash: string): Promise<PinRecord | undefined>;
}
