import type { JsonValue } from "../shared/json.js";
import type { RelationshipTemplate } from "./templates/template.js";

export const RELATIONSHIP_STATUSES = ["Pending", "Active", "Rejected", "Revoked", "Terminated", "DeletionProposed"] as const;
export type RelationshipStatus = (typeof RELATIONSHIP_STATUSES)[number];

export type AuditLogReason =
  | "Creation"
  | "AcceptanceOfCreation"
  | "RejectionOfCreation"
  | "RevocationOfCreation"
  | "Termination"
  | "ReactivationRequested"
  | "AcceptanceOfReactivation"
  | "RejectionOfReactivation"
  | "RevocationOfReactivation"
  | "Decomposition";

export interface AuditLogEntry {
  createdAt: number;
  /** Address of the acting account. */
  createdBy: string;
  createdByDevice: string;
  reason: AuditLogReason;
  /** Absent on the Creation entry. */
  oldStatus?: RelationshipStatus;
  newStatus: RelationshipStatus;
}

/** One shared record per relationship. `from` requested it, `to` owns the template. */
export interface RelationshipRecord {
  /** `REL` + 17 characters. */
  id: string;
  templateId: string;
  from: string;
  to: string;
  status: RelationshipStatus;
  creationContent: JsonValue;
  auditLog: AuditLogEntry[];
  fromDecomposed: boolean;
  toDecomposed: boolean;
  createdAt: number;
  updatedAt: number;
  /** Bumped on every change (optimistic concurrency between server processes). */
  version: number;
}

export interface RelationshipParty {
  account: string;
  address: string;
  /** Raw Ed25519 key, base64url. */
  publicKey: string;
}

/** A record with both parties' identities, as the repository reads it. */
export interface StoredRelationship extends RelationshipRecord {
  fromParty: RelationshipParty;
  toParty: RelationshipParty;
}

/** A relationship as one party sees it. */
export interface Relationship {
  id: string;
  templateId: string;
  /** The template as this party sees it (Connector 6.x nests it in the relationship). */
  template: RelationshipTemplate;
  status: RelationshipStatus;
  /** The other party's address. */
  peer: string;
  peerIdentity: { address: string; publicKey: string };
  creationContent: JsonValue;
  auditLog: AuditLogEntry[];
}

export type CanCreateResult = { isSuccess: true } | { isSuccess: false; code: string; message: string };
