import { AsyncLocalStorage } from "node:async_hooks";
import { invalid, type NewEvent, type Repositories, type Store } from "@idhub/core";
import {
  sql,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import { credentialCache, type CredentialCacheOptions } from "./credential-cache.js";
import { groupCommitter, type Member } from "./group-commit.js";
import { accountRepository } from "./repositories/accounts.js";
import { eventRepository, type OnAppended } from "./repositories/events.js";
import { identityRepository } from "./repositories/identities.js";
import { identityMetadataRepository } from "./repositories/identity-metadata.js";
import { relationshipTemplateRepository } from "./repositories/relationship-templates.js";
import { relationshipRepository } from "./repositories/relationships.js";
import { roleRepository } from "./repositories/roles.js";
import { secretRepository } from "./repositories/secrets.js";
import { twinRepository } from "./repositories/twins.js";
import { userRepository } from "./repositories/users.js";
import { webhookRepository } from "./repositories/webhooks.js";
import type { DB, SqlDialect } from "./schema.js";

/**
 * Every repository bound to one executor: the plain connection(s) or one transaction.
 * `onAppended` hears which accounts' feeds an events append grew.
 */
export function repositories(db: Kysely<DB>, dialect: SqlDialect, onAppended?: OnAppended): Repositories {
  return {
    accounts: accountRepository(db),
    roles: roleRepository(db),
    users: userRepository(db),
    secrets: secretRepository(db),
    events: eventRepository(db, dialect, onAppended),
    twins: twinRepository(db, dialect),
    identities: identityRepository(db, dialect),
    relationshipTemplates: relationshipTemplateRepository(db),
    relationships: relationshipRepository(db, dialect),
    identityMetadata: identityMetadataRepository(db, dialect),
    webhooks: webhookRepository(db),
  };
}

/**
 * PostgreSQL cannot store U+0000 in text (SQLSTATE 22021) nor a `\u0000` escape in jsonb (22P05);
 * SQLite can. Such input is the client's mistake, so it becomes a validation error (400 on every
 * surface) instead of an unexpected one (500). Translated at the store's edges — where a
 * transaction ends and around the `read` repositories, built once — not per repository call.
 */
const UNSTORABLE_TEXT = new Set(["22021", "22P05"]);

function unstorableTextIsInvalid(error: unknown): never {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  if (typeof code === "string" && UNSTORABLE_TEXT.has(code)) {
    throw invalid("validation.invalidInput", "Text must not contain NUL characters (U+0000).");
  }
  throw error;
}

/** Each method of each repository, with database errors passed through `translate`. */
function translatingErrors(all: Repositories, translate: (error: unknown) => never): Repositories {
  const wrap = (repository: object) =>
    Object.fromEntries(
      Object.entries(repository).map(([name, method]) => [
        name,
        typeof method === "function" ? (...args: unknown[]) => Promise.resolve(method.apply(repository, args)).catch(translate) : method,
      ]),
    );
  return Object.fromEntries(Object.entries(all).map(([name, repository]) => [name, wrap(repository)])) as unknown as Repositories;
}

const rethrow = (error: unknown): never => {
  throw error;
};

const translatorFor = (dialect: SqlDialect) => (dialect === "postgres" ? unstorableTextIsInvalid : rethrow);

/** What a committed transaction changed, for listeners (credential cache, change notifications). */
export interface CommittedChange {
  /** Some use case in it used an access repository (accounts, users, roles, secrets). */
  accessChanged: boolean;
  /** The events its use cases appended, in order. */
  events: readonly NewEvent[];
}

/** Core's Store plus the hooks of this package's commit path. */
export interface DbStore extends Store {
  /**
   * Called after every commit, before the callers of the committed use cases are answered. The one
   * place to hang work on commits (e.g. change-feed notifications). Returns an unsubscribe function.
   */
  onCommit(listener: (change: CommittedChange) => void): () => void;
  /** Empties the authentication cache (see credential-cache.ts); for access changes made outside the store. */
  invalidateCredentials(): void;
}

export interface StoreOptions {
  guardTransactions: boolean;
  /** Transaction groups running at once (see group-commit.ts): 1 on SQLite, the pool size on PostgreSQL. */
  maxGroups: number;
  /** The authentication cache's cross-process staleness rule (see credential-cache.ts). */
  credentials: CredentialCacheOptions;
  /** Told, after commit, which accounts' feeds a transaction grew (the change feed's wake-up). */
  onCommitted?: ((accounts: Iterable<string>) => void) | undefined;
}

/** Members per group: 50 connections or a tRPC batch of 50 fit in one, and no group holds its locks long. */
const MAX_GROUP_SIZE = 64;
/** PostgreSQL: how long a group's member waits for a row lock before it is run alone instead (group-commit.ts). */
const GROUP_LOCK_TIMEOUT_MS = 50;

/**
 * Core's Store over Kysely, with group commit (group-commit.ts) and the authentication cache
 * (credential-cache.ts).
 *
 * Inside `transaction(work)`, use the `tx` repositories only — never `store.read` nor a nested
 * `store.transaction`. On SQLite there is one connection, held by the open transaction, so such a
 * call would wait for a connection that is only released when `work` returns: a deadlock. On
 * PostgreSQL it would run on another connection, outside the transaction (not seeing its writes,
 * possibly blocking on its locks).
 *
 * With `guardTransactions` (every test database has it) both mistakes are refused with an
 * immediate error, so they show up in tests instead of hanging them. Production stores leave the
 * guard out: it needs an AsyncLocalStorage, which on Node 20 enables promise hooks for every
 * promise in the process, plus a plugin pass on every query — measured as a large part of the
 * server's CPU per request.
 */
export function createStore(db: Kysely<DB>, dialect: SqlDialect, options: StoreOptions): DbStore {
  const translate = translatorFor(dialect);
  const guard = options.guardTransactions ? transactionGuard() : undefined;
  const plainDb = guard ? db.withPlugin(new RefuseInsideTransaction(guard.inTransaction)) : db;
  const listeners = new Set<(change: CommittedChange) => void>();
  const credentials = credentialCache(options.credentials);

  // The store's one commit path: every committed transaction (group) passes here, before any of
  // its callers is answered. Rolled-back members are not in `members`.
  const committed = (members: readonly Member[]) => {
    if (members.length === 0) return;
    const change: CommittedChange = {
      accessChanged: members.some((m) => m.touchedAccess),
      events: members.flatMap((m) => m.events as NewEvent[]),
    };
    if (change.accessChanged) credentials.invalidate();
    const feed = options.onCommitted;
    const all = feed && change.events.length > 0 ? [(c: CommittedChange) => feed(new Set(c.events.map((e) => e.account))), ...listeners] : listeners;
    for (const listener of all) {
      try {
        listener(change);
      } catch {
        // A listener's failure must not turn a committed write into an error for its caller.
      }
    }
  };

  const grouped = groupCommitter<Repositories>(db, {
    maxGroups: options.maxGroups,
    maxGroupSize: MAX_GROUP_SIZE,
    multiStatement: dialect === "postgres",
    groupStart: dialect === "postgres" ? [`set local lock_timeout = '${GROUP_LOCK_TIMEOUT_MS}ms'`] : [],
    groupEnd: dialect === "postgres" ? ["set local lock_timeout to default"] : [],
    bind: (trx) => repositories(trx, dialect),
    async runMember(work, tx, member, grouped) {
      try {
        const tracked = tracking(tx, member, grouped);
        return await (guard ? guard.run(() => work(tracked)) : work(tracked));
      } catch (error) {
        return translate(error);
      }
    },
    async beforeCommit(tx, members) {
      const events = members.flatMap((m) => m.events as NewEvent[]);
      await tx.events.append(events);
    },
    committed,
  });

  // Outside a transaction an append commits by itself: the feed is told straight away.
  const read = repositories(plainDb, dialect, options.onCommitted);
  const load = read.secrets.findOwnerByHash.bind(read.secrets);
  read.secrets = { ...read.secrets, findOwnerByHash: (hash) => credentials.findOwnerByHash(hash, load) };

  return {
    read: dialect === "postgres" ? translatingErrors(read, translate) : read,
    transaction(work) {
      if (guard?.inTransaction()) return Promise.reject(misuse("store.transaction"));
      return grouped(work);
    },
    async ping() {
      await sql`select 1`.execute(plainDb);
      return true;
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    invalidateCredentials: credentials.invalidate,
  };
}

const ACCESS_REPOSITORIES = ["accounts", "users", "roles", "secrets"] as const;

/**
 * The transaction's repositories as one member sees them: its access use and its events are noted.
 * In a group (`deferEvents`) the events are only noted here and appended with the group's at its
 * end (group-commit.ts); alone, they are appended at once.
 */
function tracking(tx: Repositories, member: Member, deferEvents: boolean): Repositories {
  const seen: Repositories = { ...tx };
  for (const name of ACCESS_REPOSITORIES) seen[name] = noting(tx[name], () => (member.touchedAccess = true)) as never;
  seen.events = {
    ...tx.events,
    async append(events) {
      member.events.push(...events);
      if (!deferEvents) await tx.events.append(events);
    },
  };
  return seen;
}

function noting<R extends object>(repository: R, note: () => void): R {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(repository)) {
    wrapped[name] = typeof method === "function" ? (...args: unknown[]) => (note(), method.apply(repository, args)) : method;
  }
  return wrapped as R;
}

/**
 * Marks the async context of a running transaction callback; `open` is cleared at the end so work
 * merely started inside (and outliving) the transaction is not refused afterwards.
 */
function transactionGuard() {
  const scope = new AsyncLocalStorage<{ open: boolean }>();
  return {
    inTransaction: () => scope.getStore()?.open === true,
    async run<T>(work: () => Promise<T>): Promise<T> {
      const state = { open: true };
      try {
        return await scope.run(state, work);
      } finally {
        state.open = false;
      }
    },
  };
}

const misuse = (what: string) =>
  new Error(`${what} was used inside a store.transaction callback; use the transaction's repositories (tx) instead`);

/** Fails every query on the plain connection issued from inside a transaction callback. */
class RefuseInsideTransaction implements KyselyPlugin {
  constructor(private readonly inTransaction: () => boolean) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.inTransaction()) throw misuse("store.read");
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
