import type { Twin, TwinStatus } from "./twin.js";

/** Keyset position in an owner's twin list: the last twin of the previous page. */
export interface TwinListPosition {
  createdAt: number;
  id: string;
}

export interface TwinListQuery {
  owner: string;
  status?: TwinStatus | undefined;
  after?: TwinListPosition | undefined;
  limit: number;
}

// Port implemented by @idhub/db. Twins are not account-scoped for reading (any account may reach a
// twin by id); ownership is checked by the use cases.
export interface TwinRepository {
  insert(twin: Twin): Promise<void>;
  get(id: string): Promise<Twin | undefined>;
  /** Like `get`, and where the database has row locks, locks the row until the transaction ends. */
  getForUpdate(id: string): Promise<Twin | undefined>;
  /** Writes every mutable field of the twin; false when the row no longer exists. */
  update(twin: Twin): Promise<boolean>;
  /** The owner's twins ordered by (createdAt, id), after `after`, at most `limit`. */
  listOwned(query: TwinListQuery): Promise<Twin[]>;
  /** How many twins the owner has (quota checks, see shared/quotas.ts; kept by the database, one read). */
  countOwned(owner: string): Promise<number>;
}
