import type { KeysetPage } from "../shared/pagination.js";
import type { RelationshipRecord, StoredRelationship } from "./relationship.js";
import type { RelationshipTemplateRecord, TemplateLoad, TemplateTokenRecord } from "./templates/template.js";

// Ports implemented by @idhub/db.

export interface RelationshipTemplateRepository {
  insert(template: RelationshipTemplateRecord): Promise<void>;
  /** Any template by id, deleted ones included (relationships still render theirs). */
  get(id: string): Promise<RelationshipTemplateRecord | undefined>;
  getMany(ids: readonly string[]): Promise<RelationshipTemplateRecord[]>;
  /** The account's own templates that it has not deleted, by (createdAt, id), after `after`, at most `limit`. */
  listOwn(owner: string, page: KeysetPage): Promise<RelationshipTemplateRecord[]>;
  /** The peer templates the account has loaded, with its loads, by (load createdAt, template id), after `after`, at most `limit`. */
  listLoaded(account: string, page: KeysetPage): Promise<Array<{ template: RelationshipTemplateRecord; load: TemplateLoad }>>;
  getLoad(account: string, template: string): Promise<TemplateLoad | undefined>;
  getLoads(account: string, templates: readonly string[]): Promise<TemplateLoad[]>;
  /** False when the account had already loaded the template (nothing changes). */
  insertLoad(load: TemplateLoad): Promise<boolean>;
  /** Uses one allocation; false when `maxNumberOfAllocations` are used up (atomic). */
  allocate(template: string): Promise<boolean>;
  deleteLoad(account: string, template: string): Promise<boolean>;
  markDeleted(owner: string, id: string, at: number): Promise<boolean>;
  insertToken(token: TemplateTokenRecord): Promise<void>;
  getToken(id: string): Promise<TemplateTokenRecord | undefined>;
}

export interface RelationshipRepository {
  /**
   * Inserts a new relationship; false when an open one (Pending, Active, Terminated,
   * DeletionProposed) already exists between the two accounts — a unique index decides.
   */
  insert(relationship: RelationshipRecord): Promise<boolean>;
  get(id: string): Promise<StoredRelationship | undefined>;
  /** The relationships the account is party to and has not decomposed, by (createdAt, id), after `after`, at most `limit`. */
  listFor(account: string, page: KeysetPage): Promise<StoredRelationship[]>;
  /** The open relationship between two accounts, if any. */
  findOpen(a: string, b: string): Promise<StoredRelationship | undefined>;
  /** Writes status, audit log, decomposition flags and timestamps; false when `version` moved on. */
  update(relationship: RelationshipRecord, expectedVersion: number): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Is `address` the peer of a relationship `account` is party to and has not decomposed (any status)? */
  hasPeer(account: string, address: string): Promise<boolean>;
}
