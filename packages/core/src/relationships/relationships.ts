import { authorize } from "../access/authorize.js";
import { connectorPublicKey } from "../access/keys.js";
import type { Principal } from "../access/principal.js";
import type { Action } from "../access/actions.js";
import type { CoreDeps } from "../deps.js";
import { DomainError } from "../errors.js";
import { newEvent } from "../events/new-event.js";
import type { NewEvent } from "../events/event.js";
import type { Repositories } from "../store.js";
import { normalizeCreationContent, templateContentKind } from "./content.js";
import { isConcurrentChange, relationshipErrors as E } from "./errors.js";
import { deviceIdOf, newId } from "./ids.js";
import { compileQuery, type Field, type Query } from "./query.js";
import type {
  AuditLogEntry,
  AuditLogReason,
  CanCreateResult,
  Relationship,
  RelationshipRecord,
  RelationshipStatus,
  StoredRelationship,
} from "./relationship.js";
import { findVisibleTemplate, templateView } from "./templates.js";
import { RELATIONSHIP_ID, TEMPLATE_ID, validateRequest, type ObjectRule } from "./validation.js";

export interface CreateRelationshipInput {
  templateId: string;
  /** `{"@type": "ArbitraryRelationshipCreationContent", value}`. */
  creationContent: unknown;
}
export interface CanCreateRelationshipInput {
  templateId: string;
  creationContent?: unknown;
}
export interface GetRelationshipInput {
  id: string;
}
export interface ListRelationshipsInput {
  /** Filters `peer`, `status`, `templateId` (alias `template.id`), Connector query semantics. */
  query?: Query | undefined;
}
export interface RelationshipIdInput {
  relationshipId: string;
}

const createSchema: ObjectRule = {
  type: "object",
  properties: { templateId: { type: "string", pattern: TEMPLATE_ID }, creationContent: { type: "any" } },
  required: ["templateId", "creationContent"],
  additional: false,
};
const canCreateSchema: ObjectRule = { ...createSchema, required: ["templateId"] };
const getSchema: ObjectRule = {
  type: "object",
  properties: { id: { type: "string", pattern: RELATIONSHIP_ID } },
  required: ["id"],
  additional: false,
};
const idSchema: ObjectRule = {
  type: "object",
  properties: { relationshipId: { type: "string", pattern: RELATIONSHIP_ID } },
  required: ["relationshipId"],
  additional: false,
};
const listSchema: ObjectRule = { type: "object", properties: { query: { type: "any" } }, additional: false };

const RELATIONSHIP_FIELDS: Record<string, Field<Relationship>> = {
  peer: { get: (r) => r.peer },
  status: { get: (r) => r.status },
  templateId: { get: (r) => r.templateId },
  "template.id": { get: (r) => r.templateId },
};

type Side = "from" | "to";

const sideOf = (r: StoredRelationship, account: string): Side | undefined =>
  r.from === account && !r.fromDecomposed ? "from" : r.to === account && !r.toDecomposed ? "to" : undefined;

const partyOf = (r: StoredRelationship, side: Side) => (side === "from" ? r.fromParty : r.toParty);
const other = (side: Side): Side => (side === "from" ? "to" : "from");

/** Renders relationships for one account, with the templates read in one query. */
async function viewsFor(deps: CoreDeps, repos: Repositories, account: string, rels: StoredRelationship[]): Promise<Relationship[]> {
  if (rels.length === 0) return [];
  const ids = [...new Set(rels.map((r) => r.templateId))];
  const needLoads = [...new Set(rels.filter((r) => r.from === account).map((r) => r.templateId))];
  const [templates, loads] = await Promise.all([
    repos.relationshipTemplates.getMany(ids),
    needLoads.length ? repos.relationshipTemplates.getLoads(account, needLoads) : [],
  ]);
  const templateById = new Map(templates.map((t) => [t.id, t]));
  const loadByTemplate = new Map(loads.map((l) => [l.template, l]));
  return rels.map((r) => {
    const template = templateById.get(r.templateId);
    if (!template) throw new Error(`relationship ${r.id} references a missing template`);
    const peer = partyOf(r, r.from === account ? "to" : "from");
    return {
      id: r.id,
      templateId: r.templateId,
      template: templateView(deps, template, account, loadByTemplate.get(r.templateId)),
      status: r.status,
      peer: peer.address,
      peerIdentity: { address: peer.address, publicKey: connectorPublicKey(peer.publicKey) },
      creationContent: r.creationContent,
      auditLog: r.auditLog,
    };
  });
}

/**
 * The relationship as `account` sees it (as its own GET would answer), or undefined when that
 * account cannot see it (unknown, or decomposed on its side). For system readers such as webhook
 * delivery, which act for an account without a caller.
 */
export async function relationshipSeenBy(deps: CoreDeps, repos: Repositories, account: string, id: string): Promise<Relationship | undefined> {
  const rel = await repos.relationships.get(id);
  if (!rel || !sideOf(rel, account)) return undefined;
  return (await viewsFor(deps, repos, account, [rel]))[0];
}

async function findVisible(repos: Repositories, account: string, id: string): Promise<{ rel: StoredRelationship; side: Side }> {
  const rel = await repos.relationships.get(id);
  const side = rel && sideOf(rel, account);
  if (!rel || !side) throw E.relationshipNotFound();
  return { rel, side };
}

const lastEntry = (r: RelationshipRecord): AuditLogEntry | undefined => r.auditLog[r.auditLog.length - 1];

/** A status change: what the caller wants, checked in upstream's order (status, open reactivation, actor). */
interface Transition {
  action: Action;
  event?: string;
  decide(rel: StoredRelationship, side: Side, ownAddress: string): { reason: AuditLogReason; status: RelationshipStatus };
}

const requireStatus = (rel: StoredRelationship, ...allowed: RelationshipStatus[]) => {
  if (!allowed.includes(rel.status)) throw E.wrongStatus(rel.id, rel.status);
};

/** The open reactivation request, and whether the caller made it. */
function openReactivation(rel: StoredRelationship, ownAddress: string): "self" | "peer" | undefined {
  const last = lastEntry(rel);
  if (last?.reason !== "ReactivationRequested") return undefined;
  return last.createdBy === ownAddress ? "self" : "peer";
}

const TRANSITIONS = {
  accept: {
    action: "accept_relationship",
    decide(rel, side) {
      requireStatus(rel, "Pending");
      if (side !== "to") throw E.onlyPeer(`Only your peer can accept the relationship ${rel.id}`);
      return { reason: "AcceptanceOfCreation", status: "Active" };
    },
  },
  reject: {
    action: "reject_relationship",
    decide(rel, side) {
      requireStatus(rel, "Pending");
      if (side !== "to") throw E.onlyPeer(`Only your peer can reject the relationship ${rel.id}. Revoke the relationship instead.`);
      return { reason: "RejectionOfCreation", status: "Rejected" };
    },
  },
  revoke: {
    action: "revoke_relationship",
    decide(rel, side) {
      requireStatus(rel, "Pending");
      if (side !== "from") throw E.onlyPeer(`Only your peer can revoke the relationship ${rel.id}. Reject the relationship instead.`);
      return { reason: "RevocationOfCreation", status: "Revoked" };
    },
  },
  terminate: {
    action: "terminate_relationship",
    decide(rel) {
      requireStatus(rel, "Active");
      return { reason: "Termination", status: "Terminated" };
    },
  },
  reactivate: {
    action: "reactivate_relationship",
    decide(rel, _side, own) {
      requireStatus(rel, "Terminated");
      const open = openReactivation(rel, own);
      if (open === "self") {
        throw E.reactivationAlreadyRequested(`You have already requested the reactivation of the relationship ${rel.id}.`);
      }
      if (open === "peer") {
        throw E.reactivationAlreadyRequested(
          `Your peer has already requested the reactivation of the relationship ${rel.id}. You can accept the reactivation instead.`,
        );
      }
      return { reason: "ReactivationRequested", status: "Terminated" };
    },
  },
  acceptReactivation: {
    action: "reactivate_relationship",
    decide(rel, _side, own) {
      requireStatus(rel, "Terminated");
      const open = openReactivation(rel, own);
      if (!open) throw E.reactivationNotRequested(rel.id);
      if (open === "self") throw E.onlyPeer(`Only your peer can accept the reactivation of the relationship ${rel.id}.`);
      return { reason: "AcceptanceOfReactivation", status: "Active" };
    },
  },
  rejectReactivation: {
    action: "reactivate_relationship",
    decide(rel, _side, own) {
      requireStatus(rel, "Terminated");
      const open = openReactivation(rel, own);
      if (!open) throw E.reactivationNotRequested(rel.id);
      if (open === "self") {
        throw E.onlyPeer(
          `Only your peer can reject the reactivation of the relationship ${rel.id}. Revoke the relationship reactivation instead.`,
        );
      }
      return { reason: "RejectionOfReactivation", status: "Terminated" };
    },
  },
  revokeReactivation: {
    action: "reactivate_relationship",
    decide(rel, _side, own) {
      requireStatus(rel, "Terminated");
      const open = openReactivation(rel, own);
      if (!open) throw E.reactivationNotRequested(rel.id);
      if (open === "peer") {
        throw E.onlyPeer(
          `Only your peer can revoke the reactivation of the relationship ${rel.id}. Reject the relationship reactivation instead.`,
        );
      }
      return { reason: "RevocationOfReactivation", status: "Terminated" };
    },
  },
} satisfies Record<string, Transition>;

/** Runs a read-modify-write transaction again when another process changed the record meanwhile. */
async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConcurrentChange(error) || attempt >= 5) throw error;
    }
  }
}

const partyEvents = (
  deps: CoreDeps,
  rel: RelationshipRecord,
  type: string,
  actor: string,
  data: NewEvent["data"],
): NewEvent[] => [newEvent(deps, rel.from, type, rel.id, actor, data), newEvent(deps, rel.to, type, rel.id, actor, data)];

export const relationshipUseCases = (deps: CoreDeps) => {
  const entry = (principal: Principal, reason: AuditLogReason, newStatus: RelationshipStatus, oldStatus?: RelationshipStatus): AuditLogEntry => ({
    createdAt: deps.clock.now(),
    createdBy: principal.address,
    createdByDevice: deviceIdOf(principal.account),
    reason,
    ...(oldStatus ? { oldStatus } : {}),
    newStatus,
  });

  /** The checks shared by create and canCreate (7.x order), up to the content. */
  async function checkCreatable(repos: Repositories, principal: Principal, templateId: string) {
    const { template } = await findVisibleTemplate(repos, principal.account, templateId);
    if (template.owner !== principal.account) {
      const existing = await repos.relationships.findOpen(principal.account, template.owner);
      if (existing) {
        const decomposedBySelf = existing.from === principal.account ? existing.fromDecomposed : existing.toDecomposed;
        throw decomposedBySelf ? E.notYetDecomposedByPeer() : E.currentlyExists(existing.status);
      }
    }
    if (template.expiresAt <= deps.clock.now()) throw E.templateExpired(template.id);
    if (template.owner === principal.account) throw E.cannotCreateWithYourself();
    return template;
  }

  async function transition(principal: Principal, raw: RelationshipIdInput, t: Transition): Promise<Relationship> {
    authorize(principal, t.action);
    const { relationshipId } = validateRequest<RelationshipIdInput>(idSchema, raw);
    return withRetry(() =>
      deps.store.transaction(async (tx) => {
        const { rel, side } = await findVisible(tx, principal.account, relationshipId);
        const { reason, status } = t.decide(rel, side, principal.address);
        const next: StoredRelationship = {
          ...rel,
          status,
          auditLog: [...rel.auditLog, entry(principal, reason, status, rel.status)],
          updatedAt: deps.clock.now(),
          version: rel.version + 1,
        };
        if (!(await tx.relationships.update(next, rel.version))) throw E.concurrentChange();
        await tx.events.append(
          partyEvents(deps, next, "relationship.statusChanged", principal.user, { oldStatus: rel.status, newStatus: status, reason }),
        );
        return (await viewsFor(deps, tx, principal.account, [next]))[0]!;
      }),
    );
  }

  return {
    async create(principal: Principal, raw: CreateRelationshipInput): Promise<Relationship> {
      authorize(principal, "create_relationship");
      const input = validateRequest<CreateRelationshipInput>(createSchema, raw);
      return deps.store.transaction(async (tx) => {
        const template = await checkCreatable(tx, principal, input.templateId);
        const creationContent = normalizeCreationContent(input.creationContent, templateContentKind(template.content));
        const now = deps.clock.now();
        const record: RelationshipRecord = {
          id: newId("REL"),
          templateId: template.id,
          from: principal.account,
          to: template.owner,
          status: "Pending",
          creationContent,
          auditLog: [entry(principal, "Creation", "Pending")],
          fromDecomposed: false,
          toDecomposed: false,
          createdAt: now,
          updatedAt: now,
          version: 1,
        };
        if (!(await tx.relationships.insert(record))) {
          // Another request created one between the two accounts first: the unique index decided.
          const existing = await tx.relationships.findOpen(principal.account, template.owner);
          throw E.currentlyExists(existing?.status ?? "Pending");
        }
        await tx.events.append(partyEvents(deps, record, "relationship.created", principal.user, { status: "Pending" }));
        const stored = await tx.relationships.get(record.id);
        return (await viewsFor(deps, tx, principal.account, [stored!]))[0]!;
      });
    },

    /** The checks of `create` without creating; only a malformed request fails, the rest is reported. */
    async canCreate(principal: Principal, raw: CanCreateRelationshipInput): Promise<CanCreateResult> {
      authorize(principal, "create_relationship");
      const input = validateRequest<CanCreateRelationshipInput>(canCreateSchema, raw);
      try {
        const template = await checkCreatable(deps.store.read, principal, input.templateId);
        if (input.creationContent !== undefined) {
          normalizeCreationContent(input.creationContent, templateContentKind(template.content));
        }
        return { isSuccess: true };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return { isSuccess: false, code: error.code, message: error.message };
      }
    },

    async get(principal: Principal, raw: GetRelationshipInput): Promise<Relationship> {
      authorize(principal, "get_relationships");
      const { id } = validateRequest<GetRelationshipInput>(getSchema, raw);
      const { rel } = await findVisible(deps.store.read, principal.account, id);
      return (await viewsFor(deps, deps.store.read, principal.account, [rel]))[0]!;
    },

    async list(principal: Principal, raw: ListRelationshipsInput = {}): Promise<Relationship[]> {
      authorize(principal, "get_relationships");
      const input = validateRequest<ListRelationshipsInput>(listSchema, raw ?? {});
      const matches = compileQuery(input.query, RELATIONSHIP_FIELDS);
      const rels = await deps.store.read.relationships.listFor(principal.account);
      return (await viewsFor(deps, deps.store.read, principal.account, rels)).filter(matches);
    },

    accept: (p: Principal, raw: RelationshipIdInput) => transition(p, raw, TRANSITIONS.accept),
    reject: (p: Principal, raw: RelationshipIdInput) => transition(p, raw, TRANSITIONS.reject),
    revoke: (p: Principal, raw: RelationshipIdInput) => transition(p, raw, TRANSITIONS.revoke),
    terminate: (p: Principal, raw: RelationshipIdInput) => transition(p, raw, TRANSITIONS.terminate),
    reactivate: (p: Principal, raw: RelationshipIdInput) => transition(p, raw, TRANSITIONS.reactivate),
    acceptReactivation: (p: Principal, raw: RelationshipIdInput) => transition(p, raw, TRANSITIONS.acceptReactivation),
    rejectReactivation: (p: Principal, raw: RelationshipIdInput) => transition(p, raw, TRANSITIONS.rejectReactivation),
    revokeReactivation: (p: Principal, raw: RelationshipIdInput) => transition(p, raw, TRANSITIONS.revokeReactivation),

    /**
     * Decomposes the caller's side (from Terminated or DeletionProposed): the caller no longer sees
     * it, the peer sees DeletionProposed; the second decomposition removes the record. In the same
     * transaction, every identity metadata record of the caller about that peer is deleted.
     */
    async decompose(principal: Principal, raw: RelationshipIdInput): Promise<void> {
      authorize(principal, "decompose_relationship");
      const { relationshipId } = validateRequest<RelationshipIdInput>(idSchema, raw);
      await withRetry(() =>
        deps.store.transaction(async (tx) => {
          const { rel, side } = await findVisible(tx, principal.account, relationshipId);
          requireStatus(rel, "Terminated", "DeletionProposed");
          const peerDecomposed = side === "from" ? rel.toDecomposed : rel.fromDecomposed;
          if (peerDecomposed) {
            if (!(await tx.relationships.delete(rel.id))) throw E.concurrentChange();
          } else {
            const next: StoredRelationship = {
              ...rel,
              status: "DeletionProposed",
              auditLog: [...rel.auditLog, entry(principal, "Decomposition", "DeletionProposed", rel.status)],
              fromDecomposed: rel.fromDecomposed || side === "from",
              toDecomposed: rel.toDecomposed || side === "to",
              updatedAt: deps.clock.now(),
              version: rel.version + 1,
            };
            if (!(await tx.relationships.update(next, rel.version))) throw E.concurrentChange();
          }
          const peer = partyOf(rel, other(side));
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
    },
  };
};
