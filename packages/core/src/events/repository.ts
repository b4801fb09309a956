import type { DomainEvent, NewEvent } from "./event.js";

/** Which event types a reader wants: exact names (`twin.created`) and prefixes (`twin.*` → "twin."). */
export interface TypeFilter {
  exact: string[];
  prefixes: string[];
}

export interface EventRepository {
  append(events: NewEvent[]): Promise<void>;
  /** The account's events with seq > after, oldest first; only the filter's types when one is given. */
  list(account: string, after: number, limit: number, types?: TypeFilter): Promise<DomainEvent[]>;
  /** The seq of the account's event with this id, or undefined (unknown, another account's, or pruned). */
  seqOf(account: string, id: string): Promise<number | undefined>;
  /**
   * The highest seq of this account's events that retention has deleted (0 when none): a reader
   * resuming after an older seq may have missed events, so its cursor has expired.
   */
  prunedThrough(account: string): Promise<number>;
  /**
   * Deletes up to `limit` of the oldest events, stopping at the first one at or after `before`
   * (epoch ms), and records per account how far its feed was pruned. Returns how many it deleted.
   */
  prune(before: number, limit: number): Promise<number>;
}
