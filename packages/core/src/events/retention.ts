import type { CoreDeps } from "../deps.js";
import { cursorExpired } from "./feed-input.js";
import type { EventRepository } from "./repository.js";

/** Events deleted per prune transaction: small, so a prune never holds the write lock for long. */
export const PRUNE_BATCH = 500;

/**
 * A cursor is live while no event after it has been pruned. 0 means "from the oldest retained
 * event" and never expires: a reader that starts from nothing has nothing to lose.
 */
export async function assertCursorLive(events: EventRepository, account: string, after: number): Promise<void> {
  if (after === 0) return;
  const prunedThrough = await events.prunedThrough(account);
  if (after < prunedThrough) throw cursorExpired(after, prunedThrough);
}

/**
 * One retention step: deletes up to PRUNE_BATCH of the oldest events written before `before`
 * (epoch ms), in one transaction. Returns how many it deleted; the caller repeats while it gets a
 * full batch (apps/server schedules this from IDHUB_EVENTS_RETENTION).
 */
export const pruneEvents =
  (deps: Pick<CoreDeps, "store">) =>
  (before: number): Promise<number> =>
    deps.store.transaction((tx) => tx.events.prune(before, PRUNE_BATCH));
