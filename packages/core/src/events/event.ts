import type { JsonValue } from "../shared/json.js";

/** A change-feed entry as appended by a use case; `seq` is assigned by the database. */
export interface NewEvent {
  id: string;
  /** The account whose feed this entry belongs to. */
  account: string;
  /** e.g. `twin.created`, `identity.updated`, `user.deleted`. */
  type: string;
  /** Id of the changed thing. */
  subject: string;
  /** User id that caused the change, or null for system actions (CLI, bootstrap). */
  actor: string | null;
  at: number;
  data: JsonValue;
}

export interface DomainEvent extends NewEvent {
  seq: number;
}
