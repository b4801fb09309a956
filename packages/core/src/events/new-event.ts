import type { CoreDeps } from "../deps.js";
import type { JsonValue } from "../shared/json.js";
import type { NewEvent } from "./event.js";

/** Builds one change-feed entry; the use case appends it in its own transaction. */
export function newEvent(
  deps: Pick<CoreDeps, "ids" | "clock">,
  account: string,
  type: string,
  subject: string,
  actor: string | null,
  data: JsonValue = null,
): NewEvent {
  return { id: deps.ids.orderedUuid(), account, type, subject, actor, at: deps.clock.now(), data };
}
