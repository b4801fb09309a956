import type { JsonValue } from "../shared/json.js";

/** Metadata an account keeps about an identity (own address or a relationship peer). */
export interface IdentityMetadata {
  /** The address the metadata is about. */
  reference: string;
  /** Absent = no key; `""` is a real key, distinct from none. */
  key?: string;
  value: JsonValue;
  /** Starts at 1, bumped by every update (concurrency control). */
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** As stored: with its internal id (`IDM…`, never shown to Connector clients) and owner account. */
export interface IdentityMetadataRecord extends IdentityMetadata {
  id: string;
  owner: string;
}

/** One page of the list (our extension). */
export interface IdentityMetadataPage {
  items: IdentityMetadata[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** Where a list page continues: after this (reference, has key, key) in index order. */
export interface IdentityMetadataPosition {
  reference: string;
  hasKey: boolean;
  key: string;
}

export interface IdentityMetadataUpsert {
  /** Used only when a new row is created. */
  id: string;
  owner: string;
  reference: string;
  key: string | undefined;
  /** The value serialized as JSON. */
  valueJson: string;
  at: number;
}

export interface IdentityMetadataRepository {
  /** How many records the owner holds (quota checks; kept by the database, one read). */
  countOwned(owner: string): Promise<number>;
  /**
   * Creates or replaces the value in one statement (INSERT … ON CONFLICT DO UPDATE on the unique
   * (owner, reference, has key, key) index): concurrent first upserts end in one row.
   * With `expectedVersion`, only an existing row at that version is updated; undefined otherwise.
   */
  upsert(row: IdentityMetadataUpsert, expectedVersion?: number): Promise<{ id: string; version: number; createdAt: number } | undefined>;
  get(owner: string, reference: string, key: string | undefined): Promise<IdentityMetadataRecord | undefined>;
  /** Deletes one record (at `expectedVersion` when given); returns what was deleted. */
  delete(owner: string, reference: string, key: string | undefined, expectedVersion?: number): Promise<IdentityMetadataRecord | undefined>;
  /** Deletes every record of the owner about `reference` (with or without key). */
  deleteByReference(owner: string, reference: string): Promise<Array<{ id: string; key?: string }>>;
  /** The owner's records in (reference, no key first, key) order, after `after`, at most `limit`. */
  list(
    owner: string,
    filter: { reference?: string | undefined; keyPrefix?: string | undefined; after?: IdentityMetadataPosition | undefined; limit: number },
  ): Promise<IdentityMetadataRecord[]>;
}
