/** Time source; epoch milliseconds. Injected so tests can move time. */
export interface Clock {
  now(): number;
}

/** The prefixes of the enmeshed-style ids core hands out (relationships, templates, tokens, metadata). */
export type EnmeshedIdPrefix = "REL" | "RLT" | "TOK" | "IDM";

/**
 * Id source, injected for deterministic tests; `systemIds` (shared/ids.ts) in production. Every id
 * core creates comes from here. Secrets, PINs and keys are credentials, not ids: access/credentials.ts.
 */
export interface Ids {
  /** A random UUID (v4): the ids of accounts, users, roles, twins (domain.md). */
  uuid(): string;
  /**
   * A time-ordered UUID (v7, RFC 9562) for append-only rows (change-feed events): consecutive ids
   * sort together, so their unique index grows at its right edge instead of dirtying a random page
   * per insert (about a third of a metadata upsert's SQLite time with v4 ids).
   */
  orderedUuid(): string;
  /** `<prefix>` and 17 characters of [A-Za-z0-9]. */
  enmeshedId(prefix: EnmeshedIdPrefix): string;
}

export const systemClock: Clock = { now: () => Date.now() };
