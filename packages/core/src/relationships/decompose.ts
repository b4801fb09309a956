import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { newEvent } from "../events/new-event.js";
import { parseInput } from "../shared/validation/index.js";
import { relationshipErrors as E } from "./errors.js";
import { relationshipIdSchema, type RelationshipIdInput } from "./inputs.js";
import { auditEntry, findVisible, partyEvents, withRetry } from "./records.js";
import type { StoredRelationship } from "./relationship.js";
import { DECOMPOSABLE, requireStatus } from "./status.js";
import { otherSide, partyOf } from "./views.js";

/**
 * Decomposes the caller's side (from Terminated or DeletionProposed): the caller no longer sees
 * it, the peer sees DeletionProposed; the second decomposition removes the record. In the same
 * transaction, every identity metadata record of the caller about that peer is deleted.
 */
export const decomposeRelationship =
  (deps: CoreDeps) =>
  async (principal: Principal, raw: RelationshipIdInput): Promise<void> => {
    authorize(principal, "decompose_relationship");
    const { relationshipId } = parseInput(relationshipIdSchema, raw);
    await withRetry(() =>
      deps.store.transaction(async (tx) => {
        const { rel, side } = await findVisible(tx, principal.account, relationshipId);
        requireStatus(rel, DECOMPOSABLE);
        const peerDecomposed = side === "from" ? rel.toDecomposed : rel.fromDecomposed;
        if (peerDecomposed) {
          if (!(await tx.relationships.delete(rel.id))) throw E.concurrentChange();
        } else {
          const next: StoredRelationship = {
            ...rel,
            status: "DeletionProposed",
            auditLog: [...rel.auditLog, auditEntry(deps, principal, "Decomposition", "DeletionProposed", rel.status)],
            fromDecomposed: rel.fromDecomposed || side === "from",
            toDecomposed: rel.toDecomposed || side === "to",
            updatedAt: deps.clock.now(),
            version: rel.version + 1,
          };
          if (!(await tx.relationships.update(next, rel.version))) throw E.concurrentChange();
        }
        const peer = partyOf(rel, otherSide(side));
        const removed = await tx.identityMetadata.deleteByReference(principal.account, peer.address);
        await tx.events.append([
          ...partyEvents(deps, rel, "relationship.decomposed", principal.user, { by: principal.address, final: peerDecomposed }),
          ...removed.map((m) =>
            newEvent(deps, principal.account, "identityMetadata.deleted", m.id, principal.user, {
              reference: peer.address,
              ...(m.key !== undefined ? { key: m.key } : {}),
              cause: "relationshipDecomposed",
            }),
          ),
        ]);
      }),
    );
  };
