import type { DomainEvent, NewEvent } from "./event.js";

export interface EventRepository {
  append(events: NewEvent[]): Promise<void>;
  /** The account's events with seq > after, oldest first. */
  list(account: string, after: number, limit: number): Promise<DomainEvent[]>;
}
