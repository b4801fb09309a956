import { DomainError, type FeedEnd, type FeedItem, type ListEventsInput, type SubscribeEventsInput } from "@idhub/core";
import { tracked, TRPCError } from "@trpc/server";
import { authedProcedure as authed, input, router, toTRPCError } from "../trpc.js";

/**
 * Why a stream ended, as the client's link understands it. SERVICE_UNAVAILABLE is retryable: the
 * link reconnects and resumes after the last seq it received (tracked ids), so a slow consumer or
 * a server going down loses nothing. A plain return would tell the client the feed is over.
 */
const END_MESSAGES: Record<Exclude<FeedEnd, "aborted">, string> = {
  overflow: "The subscriber fell too far behind; reconnect to resume from the last event received.",
  closed: "The server is shutting down; reconnect to resume from the last event received.",
};

/** Each event tracked by its seq; domain errors mapped like everywhere else (middleware does not see a stream's errors). */
async function* trackedFeed(feed: AsyncGenerator<FeedItem, FeedEnd>) {
  let end: FeedEnd;
  try {
    let step = await feed.next();
    while (!step.done) {
      yield tracked(String(step.value.seq), step.value);
      step = await feed.next();
    }
    end = step.value;
  } catch (error) {
    throw error instanceof DomainError ? toTRPCError(error) : error;
  } finally {
    await feed.return("aborted");
  }
  if (end !== "aborted") throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: END_MESSAGES[end] });
}

export const eventsRouter = router({
  list: authed.input(input<ListEventsInput | undefined>()).query(({ ctx, input }) => ctx.core.events.list(ctx.principal, input ?? {})),
  subscribe: authed
    .input(input<SubscribeEventsInput | undefined>())
    .subscription(async ({ ctx, input, signal }) => trackedFeed(await ctx.core.events.subscribe(ctx.principal, input ?? {}, signal))),
});
