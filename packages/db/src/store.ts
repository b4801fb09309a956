import { AsyncLocalStorage } from "node:async_hooks";
import { invalid, type Repositories, type Store } from "@idhub/core";
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
import { accountRepository } from "./repositories/accounts.js";
import { eventRepository, type OnAppended } from "./repositories/events.js";
import { identityRepository } from "./repositories/identities.js";
import { identityMetadataRepository } from "./repositories/identity-metadata.js";
import { relationshipTemplateRepository } from "./repositories/relationship-templates.js";
import { relationshipRepository } from "./repositories/relationships.js";
import { retryingTransient } from "./retry.js";
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
    identities: identityRepository(db),
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

/**
 * Core's Store over Kysely.
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
export interface StoreOptions {
  guardTransactions: boolean;
  /** Told, after commit, which accounts' feeds a transaction grew (the change feed's wake-up). */
  onCommitted?: ((accounts: Iterable<string>) => void) | undefined;
}

export function createStore(db: Kysely<DB>, dialect: SqlDialect, options: StoreOptions): Store {
  return options.guardTransactions ? guardedStore(db, dialect, options) : plainStore(db, dialect, options);
}

/**
 * Runs `work` in a transaction with repositories that note the accounts whose feeds it grew, and
 * tells `onCommitted` once it has committed (never after a rollback).
 */
async function inFeedTransaction<T>(
  db: Kysely<DB>,
  dialect: SqlDialect,
  options: StoreOptions,
  work: (tx: Repositories) => Promise<T>,
): Promise<T> {
  const grown = new Set<string>();
  // A transient conflict with another process runs the whole transaction again (retry.ts).
  const result = await retryingTransient(() => {
    grown.clear();
    return db.transaction().execute((trx) => work(repositories(trx, dialect, (accounts) => accounts.forEach((a) => grown.add(a)))));
  });
  if (grown.size > 0) options.onCommitted?.(grown);
  return result;
}

function plainStore(db: Kysely<DB>, dialect: SqlDialect, options: StoreOptions): Store {
  const translate = translatorFor(dialect);
  // Outside a transaction an append commits by itself: signal it straight away.
  const read = repositories(db, dialect, options.onCommitted);
  return {
    read: dialect === "postgres" ? translatingErrors(read, translate) : read,
    transaction: (work) => inFeedTransaction(db, dialect, options, work).catch(translate),
    async ping() {
      await sql`select 1`.execute(db);
      return true;
    },
  };
}

function guardedStore(db: Kysely<DB>, dialect: SqlDialect, options: StoreOptions): Store {
  // Marks the async context of a running transaction callback; `open` is cleared at the end so
  // work merely started inside (and outliving) the transaction is not refused afterwards.
  const scope = new AsyncLocalStorage<{ open: boolean }>();
  const inTransaction = () => scope.getStore()?.open === true;
  const plain = plainStore(db.withPlugin(new RefuseInsideTransaction(inTransaction)), dialect, options);

  return {
    read: plain.read,
    ping: plain.ping,
    async transaction(work) {
      if (inTransaction()) throw misuse("store.transaction");
      const state = { open: true };
      try {
        return await scope.run(state, () => inFeedTransaction(db, dialect, options, work));
      } catch (error) {
        return translatorFor(dialect)(error);
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
