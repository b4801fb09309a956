import { PRUNE_BATCH, type Core } from "@idhub/core";
import type { Logger } from "pino";

/** Pause between prune batches, so writers get the (SQLite) write lock in between. */
const BATCH_PAUSE_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deletes every event written before `before` (epoch ms), one small transaction at a time.
 * Returns how many were deleted. Stops early when `stopped()` says so (shutdown).
 */
export async function pruneEventsBefore(core: Core, before: number, stopped: () => boolean = () => false): Promise<number> {
  let total = 0;
  while (!stopped()) {
    const deleted = await core.events.prune(before);
    total += deleted;
    if (deleted < PRUNE_BATCH) break;
    await sleep(BATCH_PAUSE_MS);
  }
  return total;
}

/**
 * IDHUB_EVENTS_RETENTION in the background: prunes at start and then every tenth of the window
 * (at most hourly). With several server processes each prunes; the batches are idempotent.
 * Returns how to stop it.
 */
export function scheduleRetention(core: Core, retentionMs: number, logger: Logger): () => void {
  let stopped = false;
  let running: Promise<void> | undefined;
  const run = () => {
    if (running) return;
    running = pruneEventsBefore(core, Date.now() - retentionMs, () => stopped)
      .then((deleted) => {
        if (deleted > 0) logger.info({ deleted }, "pruned old events");
      })
      .catch((error: unknown) => logger.warn({ err: error }, "pruning old events failed; will retry"))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, Math.min(retentionMs / 10, 3_600_000));
  timer.unref();
  run();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
