import { z } from "zod";
import { invalid } from "../errors.js";
import type { DomainEvent } from "./event.js";
import type { TypeFilter } from "./repository.js";

/** What every reader of the feed gets per event: the stored event without its account (always the caller's). */
export interface FeedItem {
  seq: number;
  id: string;
  type: string;
  subject: string;
  actor: string | null;
  /** Epoch milliseconds. */
  at: number;
  data: DomainEvent["data"];
}

export const toFeedItem = (e: DomainEvent): FeedItem => ({
  seq: e.seq,
  id: e.id,
  type: e.type,
  subject: e.subject,
  actor: e.actor,
  at: e.at,
  data: e.data,
});

export const MAX_EVENTS_PAGE = 500;
export const DEFAULT_EVENTS_PAGE = 100;
export const MAX_TYPE_FILTERS = 20;

// `twin.created` or `twin.*`: dot-separated words, optionally ending in `.*`.
const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*(\.\*)?$/;

/** A feed position: the `seq` of the last event seen, 0 for "from the oldest retained event". */
export const feedCursor = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const typeFilters = z
  .array(z.string().max(100).regex(TYPE_PATTERN, "must be an event type (twin.created) or a prefix (twin.*)"))
  .max(MAX_TYPE_FILTERS);

/** `["twin.*", "identity.created"]` → prefixes ["twin."], exact ["identity.created"]; undefined = all types. */
export function typeFilter(types: readonly string[] | undefined): TypeFilter | undefined {
  if (types === undefined || types.length === 0) return undefined;
  const prefixes = types.filter((t) => t.endsWith(".*")).map((t) => t.slice(0, -1));
  return { exact: types.filter((t) => !t.endsWith(".*")), prefixes };
}

export const matchesTypes = (filter: TypeFilter | undefined, type: string): boolean =>
  filter === undefined || filter.exact.includes(type) || filter.prefixes.some((p) => type.startsWith(p));

export const cursorExpired = (after: number, prunedThrough: number) =>
  invalid(
    "events.cursorExpired",
    `Events after ${after} have been pruned (retention); resynchronise, then follow from a current position.`,
    { after, prunedThrough },
  );
