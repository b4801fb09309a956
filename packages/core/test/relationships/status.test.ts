import { describe, expect, it } from "vitest";
import type { AuditLogEntry, RelationshipRecord, RelationshipStatus } from "../../src/relationships/relationship.js";
import { decide, openReactivation, STATUS_CHANGES, type Side, type StatusChangeName } from "../../src/relationships/status.js";

// The status machine as data (relationships/status.ts): every change from every status, by both
// sides, with and without an open reactivation request, against upstream's table.

const ME = "did:e:localhost:dids:0000000000000000000000";
const PEER = "did:e:localhost:dids:1111111111111111111111";
const ID = "RELAAAAAAAAAAAAAAAAA";
const STATUSES: RelationshipStatus[] = ["Pending", "Active", "Rejected", "Revoked", "Terminated", "DeletionProposed"];

function record(status: RelationshipStatus, reactivationBy?: string): RelationshipRecord {
  const entry = (reason: AuditLogEntry["reason"], by: string): AuditLogEntry => ({ createdAt: 1, createdBy: by, createdByDevice: "DVC", reason, newStatus: status });
  return {
    id: ID,
    templateId: "RLTAAAAAAAAAAAAAAAAA",
    from: "requester",
    to: "owner",
    status,
    creationContent: null,
    auditLog: [entry("Creation", PEER), ...(reactivationBy ? [entry("ReactivationRequested", reactivationBy)] : [])],
    fromDecomposed: false,
    toDecomposed: false,
    createdAt: 1,
    updatedAt: 1,
    version: 1,
  };
}

/** The outcome of a change as `code: message` or `→ status (reason)`. */
function outcome(name: StatusChangeName, status: RelationshipStatus, side: Side, reactivationBy?: string): string {
  try {
    const { reason, status: next } = decide(STATUS_CHANGES[name], record(status, reactivationBy), side, ME);
    return `→ ${next} (${reason})`;
  } catch (error) {
    const e = error as { code: string; message: string };
    return `${e.code}: ${e.message}`;
  }
}

const WRONG = (status: RelationshipStatus) =>
  `error.transport.relationships.wrongRelationshipStatus: The Relationship '${ID}' has the wrong status '${status}' to run this operation.`;
const ONLY_PEER = "error.transport.relationships.operationOnlyAllowedForPeer: ";

describe("the relationship status machine", () => {
  it.each([
    ["accept", "to", `→ Active (AcceptanceOfCreation)`],
    ["accept", "from", `${ONLY_PEER}Only your peer can accept the relationship ${ID}`],
    ["reject", "to", `→ Rejected (RejectionOfCreation)`],
    ["reject", "from", `${ONLY_PEER}Only your peer can reject the relationship ${ID}. Revoke the relationship instead.`],
    ["revoke", "from", `→ Revoked (RevocationOfCreation)`],
    ["revoke", "to", `${ONLY_PEER}Only your peer can revoke the relationship ${ID}. Reject the relationship instead.`],
  ] as const)("Pending: %s by the %s side → %s", (name, side, expected) => {
    expect(outcome(name, "Pending", side)).toBe(expected);
  });

  it("terminate: from Active by either side", () => {
    expect(outcome("terminate", "Active", "from")).toBe("→ Terminated (Termination)");
    expect(outcome("terminate", "Active", "to")).toBe("→ Terminated (Termination)");
  });

  it("reactivation: request, then only the peer answers accept/reject, only the requester revokes", () => {
    expect(outcome("reactivate", "Terminated", "from")).toBe("→ Terminated (ReactivationRequested)");
    expect(outcome("reactivate", "Terminated", "to", ME)).toBe(
      `error.transport.relationships.reactivationAlreadyRequested: You have already requested the reactivation of the relationship ${ID}.`,
    );
    expect(outcome("reactivate", "Terminated", "to", PEER)).toBe(
      `error.transport.relationships.reactivationAlreadyRequested: Your peer has already requested the reactivation of the relationship ${ID}. You can accept the reactivation instead.`,
    );
    expect(outcome("acceptReactivation", "Terminated", "to", PEER)).toBe("→ Active (AcceptanceOfReactivation)");
    expect(outcome("acceptReactivation", "Terminated", "to", ME)).toBe(`${ONLY_PEER}Only your peer can accept the reactivation of the relationship ${ID}.`);
    expect(outcome("rejectReactivation", "Terminated", "from", PEER)).toBe("→ Terminated (RejectionOfReactivation)");
    expect(outcome("rejectReactivation", "Terminated", "from", ME)).toBe(
      `${ONLY_PEER}Only your peer can reject the reactivation of the relationship ${ID}. Revoke the relationship reactivation instead.`,
    );
    expect(outcome("revokeReactivation", "Terminated", "to", ME)).toBe("→ Terminated (RevocationOfReactivation)");
    expect(outcome("revokeReactivation", "Terminated", "to", PEER)).toBe(
      `${ONLY_PEER}Only your peer can revoke the reactivation of the relationship ${ID}. Reject the relationship reactivation instead.`,
    );
    for (const name of ["acceptReactivation", "rejectReactivation", "revokeReactivation"] as const) {
      expect(outcome(name, "Terminated", "to")).toBe(
        `error.transport.relationships.reactivationNotRequested: The Relationship '${ID}' has no reactivation Request to respond to.`,
      );
    }
  });

  it("every change from a status outside its `from` list is wrongRelationshipStatus, whoever asks (status is checked first)", () => {
    const names = Object.keys(STATUS_CHANGES) as StatusChangeName[];
    let checked = 0;
    for (const name of names)
      for (const status of STATUSES.filter((s) => !(STATUS_CHANGES[name].from as readonly string[]).includes(s)))
        for (const side of ["from", "to"] as const) {
          expect(outcome(name, status, side, PEER), `${name} from ${status}`).toBe(WRONG(status));
          checked++;
        }
    expect(checked).toBe(2 * (names.length * STATUSES.length - names.length));
  });

  it("an open reactivation is the last audit entry only", () => {
    expect(openReactivation(record("Terminated"), ME)).toBeUndefined();
    expect(openReactivation(record("Terminated", ME), ME)).toBe("self");
    expect(openReactivation(record("Terminated", PEER), ME)).toBe("peer");
    const answered = record("Terminated", PEER);
    answered.auditLog.push({ ...answered.auditLog[1]!, reason: "RejectionOfReactivation" });
    expect(openReactivation(answered, ME)).toBeUndefined();
  });
});
