import { z } from "zod";
import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import { assertCursorLive } from "./retention.js";
import {
  DEFAULT_EVENTS_PAGE,
  feedCursor,
  MAX_EVENTS_PAGE,
  toFeedItem,
  typeFilter,
  typeFilters,
  type FeedItem,
} from "./feed-input.js";

export interface EventPage {
  items: FeedItem[];
  /** The last item's seq, or `after` when there is none: pass it as the next call's `after`. */
  next: number;
}

export const listEventsSchema = z.strictObject({
  /** Events with seq greater than this (default 0: from the oldest retained event). */
  after: feedCursor.optional(),
  /** 1–500, default 100. */
  limit: z.number().int().min(1).max(MAX_EVENTS_PAGE).optional(),
  /** Exact types (`twin.created`) or prefixes (`twin.*`); default all. */
  types: typeFilters.optional(),
});
export type ListEventsInput = InputOf<typeof listEventsSchema>;

/** `events.list`: one page of the caller's account's feed, in seq order (= commit order within the account). */
export const listEvents =
  (deps: Pick<CoreDeps, "store">) =>
  async (principal: Principal, raw: ListEventsInput = {}): Promise<EventPage> => {
    authorize(principal, "get_events");
    const input = parseInput(listEventsSchema, raw ?? {});
    const after = input.after ?? 0;
    const read = deps.store.read.events;
    await assertCursorLive(read, principal.account, after);
    const events = await read.list(principal.account, after, input.limit ?? DEFAULT_EVENTS_PAGE, typeFilter(input.types));
    return { items: events.map(toFeedItem), next: events.at(-1)?.seq ?? after };
  };
