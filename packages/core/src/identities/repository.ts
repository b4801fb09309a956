import type { Twin } from "../twins/twin.js";
import type { IdentityKey, TwinIdentity } from "./identity.js";

/** Merge patch of an identity: absent fields stay, present ones (null included) replace. */
export interface IdentityPatch {
  validityAt?: number | null | undefined;
  visibility?: string | null | undefined;
  updatedAt: number;
}

export interface ForeignIdentityQuery {
  twin: string;
  /** The caller's account: its own identities are not foreign. */
  caller: string;
  /** Only this owner's identities, when given. */
  owner?: string | undefined;
  /** Only identities valid at this time (epoch ms). */
  now: number;
}

export interface ResolveQuery {
  name: string;
  /** The caller's account: its identities count whatever their visibility. */
  caller: string;
  /** Whose identities count: these accounts, or everyone's. */
  owners: readonly string[] | "any";
  /** Only identities valid at this time (epoch ms). */
  now: number;
  /** Keyset position in (twin, owner) order: after this twin (and, when given, this owner of it). */
  after?: { twin: string; owner?: string | undefined } | undefined;
  /** At most this many rows. */
  limit: number;
}

/** A resolve candidate with its twin, which visibility rules need (TWIN, twin_status). */
export interface ResolveCandidate {
  identity: TwinIdentity;
  twin: Twin;
}

// Port implemented by @idhub/db. The (twin, owner, name) key is unique in the database.
export interface IdentityRepository {
  /**
   * Inserts every identity whose key is not taken yet and leaves existing ones untouched
   * (race-safe: ON CONFLICT DO NOTHING). Returns the names that were inserted.
   */
  insertMissing(identities: readonly TwinIdentity[]): Promise<string[]>;
  get(key: IdentityKey): Promise<TwinIdentity | undefined>;
  /**
   * Applies the patch, sets updatedAt and bumps the version, only when the version equals
   * `expectedVersion` (if given). Returns the updated identity, or undefined when no row matched.
   */
  update(key: IdentityKey, patch: IdentityPatch, expectedVersion?: number): Promise<TwinIdentity | undefined>;
  /** Deletes (if the version matches, when given) and returns the deleted identity. */
  delete(key: IdentityKey, expectedVersion?: number): Promise<TwinIdentity | undefined>;
  /** All of one owner's identities on a twin, by name. */
  listOwned(twin: string, owner: string): Promise<TwinIdentity[]>;
  /** How many identities (of every account) a twin carries (quota checks; kept by the database, one read). */
  countOnTwin(twin: string): Promise<number>;
  /** Other accounts' public (visibility not null), valid identities on a twin, by owner and name. */
  listForeign(query: ForeignIdentityQuery): Promise<TwinIdentity[]>;
  /**
   * Valid identities with this name (from an index on name, never a scan) of the given owners that
   * are the caller's or public, with their twins, in (twin, owner) order after `after`, at most
   * `limit`. Visibility rules are evaluated by core.
   */
  resolveCandidates(query: ResolveQuery): Promise<ResolveCandidate[]>;
}
