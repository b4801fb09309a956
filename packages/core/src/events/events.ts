import type { CoreDeps } from "../deps.js";
import { listEvents } from "./list.js";
import { readLog } from "./log.js";
import { pruneEvents } from "./retention.js";
import { liveFeeds } from "./subscribe.js";

/** The read side of the change feed: list, subscribe (live), Trusted Twin's log, retention. */
export function eventUseCases(deps: Pick<CoreDeps, "store" | "feed" | "clock">) {
  const live = liveFeeds(deps);
  return {
    list: listEvents(deps),
    subscribe: live.subscribe,
    log: readLog(deps),
    /** Ends every open subscription (graceful shutdown); new ones end at once. */
    closeSubscriptions: live.closeAll,
    /** Open subscriptions and the events they buffer (for tests and metrics). */
    subscriptionStats: live.stats,
    prune: pruneEvents(deps),
  };
}
