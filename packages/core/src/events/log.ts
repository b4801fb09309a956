import { z } from "zod";
import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { invalid } from "../errors.js";
import { uuid } from "../shared/names.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import type { DomainEvent } from "./event.js";

export interface LogPage {
  /** Oldest first, newest last. */
  events: DomainEvent[];
  /** Where the next call continues: the last event's id, else the fragment given ("" when none). */
  fragment: string;
}

export const LOG_PAGE = 100;

export const readLogSchema = z.strictObject({
  /** The `fragment` of the previous answer (an event id); absent or "" starts at the oldest retained event. */
  fragment: z.union([z.literal(""), uuid]).optional(),
});
export type ReadLogInput = InputOf<typeof readLogSchema>;

/**
 * Trusted Twin's `GET /log`: the caller's account's feed as pages of at most LOG_PAGE events.
 * A fragment is the id of the last event of a page; one that names no event of the caller's
 * account (unknown, another account's, or pruned by retention) is INVALID, never a silent restart.
 */
export const readLog =
  (deps: Pick<CoreDeps, "store">) =>
  async (principal: Principal, raw: ReadLogInput = {}): Promise<LogPage> => {
    authorize(principal, "get_log");
    const { fragment = "" } = parseInput(readLogSchema, raw ?? {});
    const read = deps.store.read.events;
    let after = 0;
    if (fragment !== "") {
      const seq = await read.seqOf(principal.account, fragment.toLowerCase());
      if (seq === undefined) throw invalid("events.unknownFragment", "Unknown log fragment.", { fragment });
      after = seq;
    }
    const events = await read.list(principal.account, after, LOG_PAGE);
    return { events, fragment: events.at(-1)?.id ?? fragment };
  };
