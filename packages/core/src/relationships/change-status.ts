import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { parseInput } from "../shared/validation/index.js";
import { relationshipErrors as E } from "./errors.js";
import { relationshipIdSchema, type RelationshipIdInput } from "./inputs.js";
import { auditEntry, findVisible, partyEvents, withRetry } from "./records.js";
import type { Relationship, StoredRelationship } from "./relationship.js";
import { decide, STATUS_CHANGES, type StatusChange } from "./status.js";
import type { TemplateLookup } from "./template-port.js";
import { viewFor } from "./views.js";

/** One status change of the state machine (status.ts): decided, logged, versioned, told to both parties. */
const changeStatus =
  (deps: CoreDeps, templates: TemplateLookup, change: StatusChange) =>
  async (principal: Principal, raw: RelationshipIdInput): Promise<Relationship> => {
    authorize(principal, change.action);
    const { relationshipId } = parseInput(relationshipIdSchema, raw);
    return withRetry(() =>
      deps.store.transaction(async (tx) => {
        const { rel, side } = await findVisible(tx, principal.account, relationshipId);
        const { reason, status } = decide(change, rel, side, principal.address);
        const next: StoredRelationship = {
          ...rel,
          status,
          auditLog: [...rel.auditLog, auditEntry(deps, principal, reason, status, rel.status)],
          updatedAt: deps.clock.now(),
          version: rel.version + 1,
        };
        if (!(await tx.relationships.update(next, rel.version))) throw E.concurrentChange();
        await tx.events.append(
          partyEvents(deps, next, "relationship.statusChanged", principal.user, { oldStatus: rel.status, newStatus: status, reason }),
        );
        return viewFor(templates, tx, principal.account, next);
      }),
    );
  };

/** accept, reject, revoke, terminate, reactivate and the three answers to a reactivation. */
export const statusChanges = (deps: CoreDeps, templates: TemplateLookup) => {
  const make = (change: StatusChange) => changeStatus(deps, templates, change);
  return {
    accept: make(STATUS_CHANGES.accept),
    reject: make(STATUS_CHANGES.reject),
    revoke: make(STATUS_CHANGES.revoke),
    terminate: make(STATUS_CHANGES.terminate),
    reactivate: make(STATUS_CHANGES.reactivate),
    acceptReactivation: make(STATUS_CHANGES.acceptReactivation),
    rejectReactivation: make(STATUS_CHANGES.rejectReactivation),
    revokeReactivation: make(STATUS_CHANGES.revokeReactivation),
  };
};
