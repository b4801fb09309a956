import { isDomainError, metrics } from "@idhub/core";
import { CompiledQuery, type Kysely } from "kysely";
import { retryingTransient } from "./retry.js";
import type { DB } from "./schema.js";

/**
 * Group commit: the write use cases that arrive in the same event-loop turn share one database
 * transaction, each in its own savepoint.
 *
 * Why: on SQLite the commit (and with `synchronous=FULL` its fsync) is most of what a small write
 * costs, and there is one connection anyway, so use cases already run one after another; sharing
 * the commit divides its price by the group size. On PostgreSQL it cuts the commits (WAL flushes)
 * the same way.
 *
 * Guarantees, each as if the use case had run alone:
 * - a use case that throws rolls back to its savepoint: only its own writes disappear, the other
 *   members commit, and its caller gets its own error;
 * - no caller is answered before the shared transaction has committed;
 * - the members' events are appended together at the end of the group, just before the commit: one
 *   statement instead of one per member, and on PostgreSQL the per-account feed lock the append
 *   takes (repositories/events.ts) is held only for that statement and the commit, not while the
 *   rest of the group runs;
 * - when the group's transaction itself fails (begin, the events append, commit), nothing of it is
 *   stored and every member is run again alone; a transaction run alone is retried on transient
 *   conflicts with other processes (retry.ts: SQLITE_BUSY, serialization failures, deadlocks);
 * - an unexpected (non-domain) failure inside a group of several — e.g. a PostgreSQL deadlock that
 *   only the sharing made possible — is not reported: that use case is run again alone, in a
 *   transaction of its own, and its caller gets that outcome.
 *
 * Row locks: a group holds the locks its members took until it commits, so a member that waits
 * for a row another transaction holds would make its whole group wait, and two groups each holding
 * what the other's next member wants would deadlock where the use cases alone would only have
 * queued. So on PostgreSQL a group's members wait at most a short `lock_timeout`; a member that
 * hits it is rolled back to its savepoint and run again alone after the group has committed (alone
 * it waits like any transaction). The events append at the end takes its per-account feed locks
 * with the default timeout again: those are taken in sorted order, last, by everyone.
 *
 * Members run one after another inside the group (one connection), in arrival order. On SQLite one
 * group runs at a time (use cases arriving meanwhile form the next group); on PostgreSQL up to
 * `maxGroups` groups run side by side on their own pooled connections.
 */
export interface GroupCommitOptions<Tx> {
  /** Groups running at the same time: 1 on SQLite (one connection), the pool size on PostgreSQL. */
  maxGroups: number;
  /** Cap on members per group, so one group does not hold its locks for too long. */
  maxGroupSize: number;
  /**
   * PostgreSQL takes several statements in one round trip (a query without parameters); SQLite's
   * driver prepares one statement at a time (and has no round trips to save).
   */
  multiStatement: boolean;
  /** First statements of a group's transaction (PostgreSQL: a short lock_timeout, see below). */
  groupStart: string[];
  /** Statements before `beforeCommit` (PostgreSQL: the lock_timeout back to its default). */
  groupEnd: string[];
  /** The repositories of a transaction (built once per group). */
  bind(trx: Kysely<DB>): Tx;
  /**
   * Runs one member's work; the store wraps it (transaction guard, change tracking). `grouped`:
   * it runs inside a group, whose events are appended together by `beforeCommit`.
   */
  runMember<T>(work: (tx: Tx) => Promise<T>, tx: Tx, member: Member, grouped: boolean): Promise<T>;
  /** Last statements of a group's transaction, for its successful members (the events append). */
  beforeCommit(tx: Tx, members: readonly Member[]): Promise<void>;
  /** Called once per committed transaction with its successful members. */
  committed(members: readonly Member[]): void;
}

/** What the store learns about one member while it runs (see store.ts). */
export interface Member {
  /** The member used an access repository (accounts, users, roles, secrets). */
  touchedAccess: boolean;
  /** Events the member appended. */
  events: unknown[];
}

interface Pending<Tx> {
  work: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown; member: Member } | { ok: false; error: unknown; member: Member };

const SAVEPOINT = "savepoint member";
const RELEASE = "release savepoint member";
const ROLLBACK_TO = "rollback to savepoint member";

const newMember = (): Member => ({ touchedAccess: false, events: [] });

export function groupCommitter<Tx>(db: Kysely<DB>, options: GroupCommitOptions<Tx>) {
  const pending: Pending<Tx>[] = [];
  let scheduled = false;
  let running = 0;

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // setImmediate, not a microtask: every request parsed in this I/O phase gets to join.
    setImmediate(drain);
  };

  function drain() {
    scheduled = false;
    while (pending.length > 0 && running < options.maxGroups) {
      const group = pending.splice(0, options.maxGroupSize);
      running++;
      void runGroup(group).finally(() => {
        running--;
        // Whatever arrived while this group held the connection forms the next group.
        if (pending.length > 0) schedule();
      });
    }
  }

  async function runGroup(group: Pending<Tx>[]): Promise<void> {
    metrics.groupCommit(group.length);
    if (group.length === 1) return runAlone(group[0]!);
    let outcomes: Outcome[];
    try {
      outcomes = await db.transaction().execute(async (trx) => {
        const tx = options.bind(trx);
        const results: Outcome[] = [];
        await run(trx, [...options.groupStart, SAVEPOINT]);
        for (let i = 0; i < group.length; i++) results.push(await runInSavepoint(trx, tx, group[i]!, i === group.length - 1));
        if (options.groupEnd.length > 0) await run(trx, options.groupEnd);
        await options.beforeCommit(tx, results.filter((o) => o.ok).map((o) => o.member));
        return results;
      });
    } catch {
      // Begin, the events append or commit failed: nothing of the group is stored. Whatever the
      // cause (a deadlock only the sharing made possible, one member's unstorable event), each
      // member runs again alone and its caller gets that outcome.
      for (const job of group) await runAlone(job);
      return;
    }
    options.committed(outcomes.filter((o) => o.ok).map((o) => o.member));
    const retries: Pending<Tx>[] = [];
    outcomes.forEach((outcome, i) => {
      const job = group[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else if (isDomainError(outcome.error)) job.reject(outcome.error);
      else retries.push(job);
    });
    for (const job of retries) await runAlone(job);
  }

  /** Statements in order; on PostgreSQL in one round trip. */
  async function run(trx: Kysely<DB>, statements: string[]): Promise<void> {
    if (options.multiStatement) await trx.executeQuery(CompiledQuery.raw(statements.join("; ")));
    else for (const statement of statements) await trx.executeQuery(CompiledQuery.raw(statement));
  }

  /** One member between its savepoint (already set) and the next member's (set here unless `last`). */
  async function runInSavepoint(trx: Kysely<DB>, tx: Tx, job: Pending<Tx>, last: boolean): Promise<Outcome> {
    const member = newMember();
    const next = last ? [] : [SAVEPOINT];
    try {
      const value = await options.runMember(job.work, tx, member, true);
      await run(trx, [RELEASE, ...next]);
      return { ok: true, value, member };
    } catch (error) {
      // Undoes this member's writes only (and on PostgreSQL clears an aborted statement).
      await run(trx, [ROLLBACK_TO, RELEASE, ...next]);
      return { ok: false, error, member };
    }
  }

  async function runAlone(job: Pending<Tx>): Promise<void> {
    let member = newMember();
    let value: unknown;
    try {
      // A transient conflict with another process runs the whole transaction again (retry.ts).
      value = await retryingTransient(() => {
        member = newMember();
        return db.transaction().execute((trx) => options.runMember(job.work, options.bind(trx), member, false));
      });
    } catch (error) {
      job.reject(error);
      return;
    }
    options.committed([member]);
    job.resolve(value);
  }

  return function transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      schedule();
    });
  };
}
