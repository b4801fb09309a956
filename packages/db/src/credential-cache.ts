import type { SecretOwner } from "@idhub/core";

/**
 * A cache of `secrets.findOwnerByHash` — the one query every authenticated request runs (secret,
 * user, role and account address in one row). Core's `authenticate` still does everything else on
 * every request: the failure throttle, hashing the presented secret, the constant-time comparison,
 * the expiry check against the clock (expiry needs no invalidation: `validityAt` is compared each
 * time), and the X-TrustedTwin header. Only unknown secrets are never cached (each miss queries).
 *
 * How revocation stays prompt:
 * - in this process, the store empties the cache when a transaction that used an access
 *   repository (accounts, users, roles, secrets) commits, before that transaction's caller is
 *   answered — so the next request after a secret, user or role change (or an account disable)
 *   reads the database again. `invalidate()` is the hook for anything else that changes access.
 * - for changes made by other processes on the same database: on SQLite, `PRAGMA data_version`
 *   (a counter in shared memory that changes when another connection commits) is compared once per
 *   event-loop turn (dialects/sqlite.ts), and any foreign commit empties the cache — a request
 *   parsed in a later turn than the foreign commit never sees the old entry;
 *   on PostgreSQL, which has no such cheap signal, an entry is used for at most `maxAgeMs` (1 s).
 */
export interface CredentialCache {
  findOwnerByHash(hash: string, load: (hash: string) => Promise<SecretOwner | undefined>): Promise<SecretOwner | undefined>;
  invalidate(): void;
}

export interface CredentialCacheOptions {
  /** Entries older than this are read again; Infinity when `changedElsewhere` sees every foreign change. */
  maxAgeMs: number;
  /** True when another process may have changed the database since the last call. */
  changedElsewhere?: () => boolean;
  /** Bound on memory: the cache is emptied when full (one entry per live secret in use). */
  maxEntries?: number;
  now?: () => number;
}

export function credentialCache(options: CredentialCacheOptions): CredentialCache {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  let entries = new Map<string, { owner: SecretOwner; at: number }>();
  // Bumped by every invalidation: a look-up that started before it must not store its (maybe stale) row.
  let generation = 0;

  const invalidate = () => {
    generation++;
    if (entries.size > 0) entries = new Map();
  };

  return {
    invalidate,
    async findOwnerByHash(hash, load) {
      if (options.changedElsewhere?.()) invalidate();
      const hit = entries.get(hash);
      const at = now();
      if (hit && at - hit.at < options.maxAgeMs) return hit.owner;
      const started = generation;
      const owner = await load(hash);
      if (owner && started === generation) {
        if (entries.size >= maxEntries) entries = new Map();
        entries.set(hash, { owner, at });
      }
      return owner;
    },
  };
}
