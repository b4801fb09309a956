import { z } from "zod";
import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { metrics } from "../shared/metrics.js";
import type { Clock } from "../shared/ports.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import type { DomainEvent } from "./event.js";
import { feedCursor, matchesTypes, toFeedItem, typeFilter, typeFilters, type FeedItem } from "./feed-input.js";
import { silentFeed, type FeedSignal } from "./feed-signal.js";
import type { EventRepository, TypeFilter } from "./repository.js";
import { assertCursorLive } from "./retention.js";

/** Why a live feed ended without an error: the consumer left, fell too far behind, or the server is closing. */
export type FeedEnd = "aborted" | "overflow" | "closed";

export const subscribeEventsSchema = z.strictObject({
  /** Replay events with seq greater than this (default 0: from the oldest retained event), then follow. */
  after: feedCursor.optional(),
  /** Exact types (`twin.created`) or prefixes (`twin.*`); default all. */
  types: typeFilters.optional(),
  /**
   * Set by tRPC's subscription link on a reconnect: the `seq` of the last event delivered (as a
   * string). It wins over `after`, so a resumed stream continues exactly after what was received.
   */
  lastEventId: z.string().regex(/^\d{1,16}$/, "must be an event seq").optional(),
});
export type SubscribeEventsInput = InputOf<typeof subscribeEventsSchema>;

/**
 * Events a subscriber may have read from the database but not yet taken. A consumer more than this
 * far behind the live head is dropped (its stream ends with "overflow") instead of making the
 * server buffer without bound; it resumes from its last seq on reconnect.
 */
export const SUBSCRIBER_BUFFER = 256;

export interface FeedStats {
  /** Streams still being fed (an ended one may wait for its consumer to notice the end). */
  subscriptions: number;
  /** Events held in subscriber buffers, across all subscriptions (at most SUBSCRIBER_BUFFER each). */
  buffered: number;
}

/**
 * The live subscriptions of one core (one process). `subscribe` checks and opens one; `closeAll`
 * ends them all (graceful shutdown: each stream ends with "closed" so clients reconnect elsewhere).
 */
export function liveFeeds(deps: Pick<CoreDeps, "store" | "feed" | "clock">, bufferSize = SUBSCRIBER_BUFFER) {
  const open = new Set<Subscription>();
  let closing = false;

  return {
    /**
     * Validates first (action, input, cursor), so errors surface before the stream starts; then
     * returns the stream: a replay of everything after the cursor, then new events as they commit.
     */
    async subscribe(
      principal: Principal,
      raw: SubscribeEventsInput = {},
      signal?: AbortSignal,
    ): Promise<AsyncGenerator<FeedItem, FeedEnd>> {
      authorize(principal, "get_events");
      const input = parseInput(subscribeEventsSchema, raw ?? {});
      const after = input.lastEventId !== undefined ? Number(input.lastEventId) : (input.after ?? 0);
      const events = deps.store.read.events;
      await assertCursorLive(events, principal.account, after);
      const subscription = new Subscription(events, deps.feed ?? silentFeed, principal.account, after, bufferSize, typeFilter(input.types), deps.clock);
      return subscription.stream(signal, {
        opened: () => {
          if (closing) return subscription.end("closed");
          open.add(subscription);
          metrics.feedSubscribers(1);
        },
        finished: () => {
          if (open.delete(subscription)) metrics.feedSubscribers(-1);
        },
      });
    },
    closeAll(): void {
      closing = true;
      for (const subscription of open) subscription.end("closed");
    },
    stats(): FeedStats {
      let buffered = 0;
      let live = 0;
      for (const subscription of open) {
        buffered += subscription.buffered;
        if (subscription.live) live++;
      }
      return { subscriptions: live, buffered };
    },
  };
}

/**
 * One subscriber's reader. Two phases:
 * - replay: reads pages as the consumer takes them (pull), so a long history never piles up;
 * - live (after the first short page): reads when the feed signal says the account committed, into
 *   a bounded buffer. If more events are waiting than the buffer has room for, the consumer is too
 *   slow: the stream ends ("overflow") and the buffer is dropped.
 * Reads are serialized and always continue after the last seq read, so nothing is skipped or repeated.
 */
class Subscription {
  private readonly queue: DomainEvent[] = [];
  private cursor: number;
  private caughtUp = false;
  private reading = false;
  private dirty = true;
  private ended: FeedEnd | undefined;
  private failure: unknown;
  private wakeConsumer: (() => void) | undefined;

  constructor(
    private readonly events: EventRepository,
    private readonly feed: FeedSignal,
    private readonly account: string,
    after: number,
    private readonly capacity: number,
    private readonly types: TypeFilter | undefined,
    private readonly clock: Clock,
  ) {
    this.cursor = after;
  }

  get buffered(): number {
    return this.queue.length;
  }

  /** Not ended yet. */
  get live(): boolean {
    return this.ended === undefined;
  }

  end(reason: FeedEnd): void {
    if (this.ended) return;
    this.ended = reason;
    this.queue.length = 0;
    this.notifyConsumer();
  }

  /** `opened`/`finished` run when the consumer starts iterating and when the stream is over. */
  async *stream(
    signal: AbortSignal | undefined,
    hooks: { opened(): void; finished(): void },
  ): AsyncGenerator<FeedItem, FeedEnd> {
    hooks.opened();
    // Watch before the first read, so a commit between that read and the watch cannot be missed.
    const stopWatching = this.feed.watch(this.account, () => this.wake());
    const onAbort = () => this.end("aborted");
    signal?.addEventListener("abort", onAbort);
    if (signal?.aborted) this.end("aborted");
    try {
      this.wake();
      while (true) {
        const event = this.queue.shift();
        if (event) {
          if (!this.caughtUp) this.wake(); // replay: the consumer took one, read on
          else metrics.feedLag((this.clock.now() - event.at) / 1000); // live: commit → delivery
          if (matchesTypes(this.types, event.type)) yield toFeedItem(event);
          continue;
        }
        if (this.failure !== undefined) throw this.failure;
        if (this.ended) return this.ended;
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    } finally {
      stopWatching();
      signal?.removeEventListener("abort", onAbort);
      this.end("aborted");
      hooks.finished();
    }
  }

  private notifyConsumer(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  private wake(): void {
    this.dirty = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      while (this.dirty && !this.ended) {
        this.dirty = false;
        const room = this.capacity - this.queue.length;
        if (!this.caughtUp) {
          // Replay: refill when half the buffer has been taken.
          if (room < this.capacity / 2) continue;
          await assertCursorLive(this.events, this.account, this.cursor);
          const page = await this.events.list(this.account, this.cursor, room);
          this.take(page);
          if (page.length < room) this.caughtUp = true;
        } else {
          // Live: one more than fits tells "too far behind" apart from "exactly full".
          const page = await this.events.list(this.account, this.cursor, room + 1);
          if (page.length > room) return this.end("overflow");
          this.take(page);
        }
      }
    } catch (error) {
      this.failure = error;
      this.end("aborted");
    } finally {
      this.reading = false;
    }
  }

  private take(page: DomainEvent[]): void {
    if (this.ended || page.length === 0) return;
    this.queue.push(...page);
    this.cursor = page.at(-1)!.seq;
    this.notifyConsumer();
  }
}
