import type { FeedSignal } from "@idhub/core";

type AccountWake = () => void;
type AnyWake = (accounts: readonly string[] | null) => void;
/** Starts the cross-process part (a listener or watcher); returns how to stop it. */
export type StartListening = (feed: LocalFeed) => () => void;

/**
 * The process's one FeedSignal. This process's commits come in through `committed` (the store calls
 * it after a transaction that appended events commits); other processes' commits through the one
 * cross-process listener, started when the first watcher arrives and stopped on close.
 *
 * Wake-ups are collected and delivered on a later tick, one per watcher however many commits
 * arrived in between: a burst of writes costs each reader one read, not one per commit.
 */
export class LocalFeed implements FeedSignal {
  private readonly byAccount = new Map<string, Set<AccountWake>>();
  private readonly anyAccount = new Set<AnyWake>();
  private pending = new Set<string>();
  private unknownPending = false;
  private scheduled = false;
  private stopListening: (() => void) | undefined;
  private closed = false;

  constructor(private readonly startListening?: StartListening) {}

  watch(account: string, wake: AccountWake): () => void {
    let set = this.byAccount.get(account);
    if (!set) this.byAccount.set(account, (set = new Set()));
    set.add(wake);
    this.listen();
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.byAccount.get(account) === set) this.byAccount.delete(account);
    };
  }

  watchAll(wake: AnyWake): () => void {
    this.anyAccount.add(wake);
    this.listen();
    return () => void this.anyAccount.delete(wake);
  }

  /** Accounts someone watches right now (the PostgreSQL catch-up read checks these). */
  watchedAccounts(): string[] {
    return [...this.byAccount.keys()];
  }

  /** Events for these accounts have committed. */
  committed(accounts: Iterable<string>): void {
    for (const account of accounts) this.pending.add(account);
    this.schedule();
  }

  /** Something may have committed and we cannot tell what (e.g. the listener was disconnected): wake everyone. */
  unknownCommits(): void {
    this.unknownPending = true;
    this.schedule();
  }

  /** Stops the cross-process listener; watchers are no longer woken. */
  close(): void {
    this.closed = true;
    this.stopListening?.();
    this.stopListening = undefined;
  }

  private listen(): void {
    if (this.stopListening || this.closed || !this.startListening) return;
    this.stopListening = this.startListening(this);
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const accounts = this.pending;
    const everything = this.unknownPending;
    this.pending = new Set();
    this.unknownPending = false;
    const woken = everything ? [...this.byAccount.values()] : [...accounts].flatMap((a) => (this.byAccount.has(a) ? [this.byAccount.get(a)!] : []));
    for (const set of woken) for (const wake of [...set]) safely(wake);
    const list = everything ? null : [...accounts];
    for (const wake of [...this.anyAccount]) safely(() => wake(list));
  }
}

// A watcher's bug must not stop the others from being woken.
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // ignored: wake-ups are hints, and the watcher owns its errors
  }
}
