import type { Action } from "../access/kernel.js";
import { relationshipErrors as E } from "./errors.js";
import type { AuditLogReason, RelationshipRecord, RelationshipStatus } from "./relationship.js";

// The relationship status machine, as data: which status a change starts from, who may make it,
// what it leads to. `decide` reads a rule in upstream's order of checks (status, open
// reactivation, actor) and throws the Connector's exact error at the first one that fails.

/** `from` requested the relationship, `to` owns the template. */
export type Side = "from" | "to";

/** Who opened the pending reactivation request, seen from the caller. */
export type Reactivation = "self" | "peer";

export interface StatusChange {
  action: Action;
  from: readonly RelationshipStatus[];
  /** Only this side may make the change (else `operationOnlyAllowedForPeer` with `refusal`). */
  by?: Side;
  /**
   * For the reactivation steps: "none" — no request may be open (`alreadyRequested` messages);
   * otherwise who must have opened it (else `operationOnlyAllowedForPeer` with `refusal`).
   */
  reactivation?: "none" | Reactivation;
  /** The refusal message when the wrong party tries (by id). */
  refusal?: (id: string) => string;
  alreadyRequested?: Record<Reactivation, (id: string) => string>;
  reason: AuditLogReason;
  to: RelationshipStatus;
}

export const STATUS_CHANGES = {
  accept: {
    action: "accept_relationship",
    from: ["Pending"],
    by: "to",
    refusal: (id) => `Only your peer can accept the relationship ${id}`,
    reason: "AcceptanceOfCreation",
    to: "Active",
  },
  reject: {
    action: "reject_relationship",
    from: ["Pending"],
    by: "to",
    refusal: (id) => `Only your peer can reject the relationship ${id}. Revoke the relationship instead.`,
    reason: "RejectionOfCreation",
    to: "Rejected",
  },
  revoke: {
    action: "revoke_relationship",
    from: ["Pending"],
    by: "from",
    refusal: (id) => `Only your peer can revoke the relationship ${id}. Reject the relationship instead.`,
    reason: "RevocationOfCreation",
    to: "Revoked",
  },
  terminate: { action: "terminate_relationship", from: ["Active"], reason: "Termination", to: "Terminated" },
  reactivate: {
    action: "reactivate_relationship",
    from: ["Terminated"],
    reactivation: "none",
    alreadyRequested: {
      self: (id) => `You have already requested the reactivation of the relationship ${id}.`,
      peer: (id) => `Your peer has already requested the reactivation of the relationship ${id}. You can accept the reactivation instead.`,
    },
    reason: "ReactivationRequested",
    to: "Terminated",
  },
  acceptReactivation: {
    action: "reactivate_relationship",
    from: ["Terminated"],
    reactivation: "peer",
    refusal: (id) => `Only your peer can accept the reactivation of the relationship ${id}.`,
    reason: "AcceptanceOfReactivation",
    to: "Active",
  },
  rejectReactivation: {
    action: "reactivate_relationship",
    from: ["Terminated"],
    reactivation: "peer",
    refusal: (id) => `Only your peer can reject the reactivation of the relationship ${id}. Revoke the relationship reactivation instead.`,
    reason: "RejectionOfReactivation",
    to: "Terminated",
  },
  revokeReactivation: {
    action: "reactivate_relationship",
    from: ["Terminated"],
    reactivation: "self",
    refusal: (id) => `Only your peer can revoke the reactivation of the relationship ${id}. Reject the relationship reactivation instead.`,
    reason: "RevocationOfReactivation",
    to: "Terminated",
  },
} as const satisfies Record<string, StatusChange>;

export type StatusChangeName = keyof typeof STATUS_CHANGES;

/** Decomposition is not a status change of both sides; it starts from these statuses. */
export const DECOMPOSABLE: readonly RelationshipStatus[] = ["Terminated", "DeletionProposed"];

export function requireStatus(rel: RelationshipRecord, allowed: readonly RelationshipStatus[]): void {
  if (!allowed.includes(rel.status)) throw E.wrongStatus(rel.id, rel.status);
}

/** The open reactivation request (the last audit entry asks for one), and whether the caller made it. */
export function openReactivation(rel: RelationshipRecord, ownAddress: string): Reactivation | undefined {
  const last = rel.auditLog[rel.auditLog.length - 1];
  if (last?.reason !== "ReactivationRequested") return undefined;
  return last.createdBy === ownAddress ? "self" : "peer";
}

/** The audit reason and new status of `change` made by the caller on `side`, or the Connector's error. */
export function decide(
  change: StatusChange,
  rel: RelationshipRecord,
  side: Side,
  ownAddress: string,
): { reason: AuditLogReason; status: RelationshipStatus } {
  requireStatus(rel, change.from);
  if (change.reactivation !== undefined) {
    const open = openReactivation(rel, ownAddress);
    if (change.reactivation === "none") {
      if (open) throw E.reactivationAlreadyRequested(change.alreadyRequested![open](rel.id));
    } else {
      if (!open) throw E.reactivationNotRequested(rel.id);
      if (open !== change.reactivation) throw E.onlyPeer(change.refusal!(rel.id));
    }
  }
  if (change.by !== undefined && side !== change.by) throw E.onlyPeer(change.refusal!(rel.id));
  return { reason: change.reason, status: change.to };
}
