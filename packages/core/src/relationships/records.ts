import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import type { NewEvent } from "../events/event.js";
import { newEvent } from "../events/new-event.js";
import type { Repositories } from "../storage.js";
import { isConcurrentChange, relationshipErrors as E } from "./errors.js";
import { deviceIdOf } from "./ids.js";
import type { AuditLogEntry, AuditLogReason, RelationshipRecord, RelationshipStatus, StoredRelationship } from "./relationship.js";
import type { Side } from "./status.js";
import { sideOf } from "./views.js";

// What every relationship use case does with the record: find it for a party, log a step, tell
// both parties, retry when another process changed it meanwhile.

/** The relationship if the account is a party that has not decomposed its side; else not found. */
export async function findVisible(
  repos: Pick<Repositories, "relationships">,
  account: string,
  id: string,
): Promise<{ rel: StoredRelationship; side: Side }> {
  const rel = await repos.relationships.get(id);
  const side = rel && sideOf(rel, account);
  if (!rel || !side) throw E.relationshipNotFound();
  return { rel, side };
}

export const auditEntry = (
  deps: Pick<CoreDeps, "clock">,
  principal: Principal,
  reason: AuditLogReason,
  newStatus: RelationshipStatus,
  oldStatus?: RelationshipStatus,
): AuditLogEntry => ({
  createdAt: deps.clock.now(),
  createdBy: principal.address,
  createdByDevice: deviceIdOf(principal.account),
  reason,
  ...(oldStatus ? { oldStatus } : {}),
  newStatus,
});

/** The same event for both parties' feeds. */
export const partyEvents = (deps: CoreDeps, rel: RelationshipRecord, type: string, actor: string, data: NewEvent["data"]): NewEvent[] => [
  newEvent(deps, rel.from, type, rel.id, actor, data),
  newEvent(deps, rel.to, type, rel.id, actor, data),
];

/** Runs a read-modify-write transaction again when another process changed the record meanwhile. */
export async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConcurrentChange(error) || attempt >= 5) throw error;
    }
  }
}
