/**
 * The wake-up port of the change feed: tells readers that an account's feed may have grown.
 *
 * It is a hint, never the data: the events table is the truth, and a reader woken for nothing
 * simply reads nothing new. Implementations (in @idhub/db) signal commits of this process at once
 * and commits of other processes on the same database within about a second (PostgreSQL
 * LISTEN/NOTIFY plus a periodic catch-up read; SQLite a poll of the events' newest seq). One listener per
 * process serves every watcher.
 *
 * Also the in-process API for other readers of the feed (webhook delivery): `watchAll` to learn
 * which accounts committed events, then read them with `EventRepository.list`.
 */
export interface FeedSignal {
  /**
   * Calls `wake` after events for `account` commit — possibly spuriously, possibly once for several
   * commits. Never inside the caller's stack: `wake` runs on a later tick. Returns `stop`.
   */
  watch(account: string, wake: () => void): () => void;
  /**
   * Calls `wake(accounts)` after commits that appended events for those accounts; `null` means
   * "unknown which" (e.g. after the listener reconnected): re-check every account you care about.
   */
  watchAll(wake: (accounts: readonly string[] | null) => void): () => void;
}

/** A FeedSignal that never fires, for cores that serve no live feed (tests, one-shot CLI commands). */
export const silentFeed: FeedSignal = {
  watch: () => () => {},
  watchAll: () => () => {},
};
