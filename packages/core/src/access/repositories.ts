import type { AccountRecord } from "./account.js";
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
  /** Inserts the one-time bootstrap marker; false when it already exists (another process won). */
  claimBootstrap(): Promise<boolean>;
}

export interface RoleRepository {
  insert(role: Role): Promise<void>;
  get(account: string, id: string): Promise<Role | undefined>;
  list(account: string): Promise<Role[]>;
  update(role: Role): Promise<void>;
  /** Returns false when no such role. Fails with CONFLICT (`access.role.inUse`) when a user holds it. */
  delete(account: string, id: string): Promise<boolean>;
  isInUse(account: string, id: string): Promise<boolean>;
}

export interface UserRepository {
  insert(user: User): Promise<void>;
  get(account: string, id: string): Promise<User | undefined>;
  list(account: string): Promise<User[]>;
  update(user: User): Promise<void>;
  /** Deletes the user and its secret; false when no such user. */
  delete(account: string, id: string): Promise<boolean>;
}

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
  insertPin(pin: PinRecord): Promise<void>;
  /** Deletes and returns the pin if it exists (single use, atomic). Expiry is checked by the caller. */
  takePin(account: string, hash: string): Promise<PinRecord | undefined>;
}
