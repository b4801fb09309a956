import { describe, expect, it } from "vitest";
import { twoParties } from "./memory-store.js";

// The relationship and template use cases on an in-memory store (memory-store.ts): the flows the
// HTTP suites drive, checked here at the use cases, with what they store and which events they append.

const CONTENT = { "@type": "ArbitraryRelationshipTemplateContent", value: { a: 1 } };
const CREATION = { "@type": "ArbitraryRelationshipCreationContent", value: {} };

async function established(options: { accept?: boolean } = {}) {
  const world = twoParties();
  const { core, owner, requester, clock } = world;
  const template = await core.relationshipTemplates.create(owner, { expiresAt: new Date(clock.ms + 60_000).toISOString(), content: CONTENT });
  await core.relationshipTemplates.load(requester, { reference: template.reference.truncated });
  const relationship = await core.relationships.create(requester, { templateId: template.id, creationContent: CREATION });
  if (options.accept !== false) await core.relationships.accept(owner, { relationshipId: relationship.id });
  return { ...world, template, relationship };
}

describe("relationship use cases", () => {
  it("create: Pending, seen by both parties, one event per party", async () => {
    const { core, owner, requester, relationship, template, events } = await established({ accept: false });
    expect(relationship).toMatchObject({ status: "Pending", templateId: template.id, peer: owner.address, creationContent: CREATION });
    expect(relationship.id).toMatch(/^REL[A-Za-z0-9]{17}$/);
    expect((await core.relationships.get(owner, { id: relationship.id })).peer).toBe(requester.address);
    expect(events.filter((e) => e.type === "relationship.created").map((e) => e.account).sort()).toEqual([owner.account, requester.account].sort());
  });

  it("a second open relationship between the same two accounts is refused", async () => {
    const { core, requester, template } = await established();
    await expect(core.relationships.create(requester, { templateId: template.id, creationContent: CREATION })).rejects.toMatchObject({
      code: "error.transport.relationships.relationshipCurrentlyExists",
      message: "No new Relationship to the peer can be created as a Relationship in status 'Active' currently exists.",
    });
    expect(await core.relationships.canCreate(requester, { templateId: template.id })).toMatchObject({ isSuccess: false });
  });

  it("status changes follow the state machine and log each step with the old and new status", async () => {
    const { core, owner, requester, relationship } = await established();
    const id = { relationshipId: relationship.id };
    await core.relationships.terminate(requester, id);
    await core.relationships.reactivate(owner, id);
    await expect(core.relationships.acceptReactivation(owner, id)).rejects.toMatchObject({ code: "error.transport.relationships.operationOnlyAllowedForPeer" });
    const active = await core.relationships.acceptReactivation(requester, id);
    expect(active.status).toBe("Active");
    expect(active.auditLog.map((e) => [e.reason, e.oldStatus, e.newStatus])).toEqual([
      ["Creation", undefined, "Pending"],
      ["AcceptanceOfCreation", "Pending", "Active"],
      ["Termination", "Active", "Terminated"],
      ["ReactivationRequested", "Terminated", "Terminated"],
      ["AcceptanceOfReactivation", "Terminated", "Active"],
    ]);
  });

  it("a status change lost to a concurrent one is retried on the fresh record", async () => {
    const { core, requester, relationship, control, rels } = await established();
    control.conflictsLeft = 2;
    expect((await core.relationships.terminate(requester, { relationshipId: relationship.id })).status).toBe("Terminated");
    expect(rels.get(relationship.id)!.version).toBe(3);
  });

  it("decompose: the first side proposes deletion and drops its metadata about the peer; the second removes the record", async () => {
    const { core, owner, requester, relationship, rels, metadataDeletes } = await established();
    const id = { relationshipId: relationship.id };
    await core.relationships.terminate(owner, id);
    await core.relationships.decompose(requester, id);
    expect(await core.relationships.list(requester)).toEqual({ items: [], nextCursor: null });
    expect((await core.relationships.get(owner, { id: relationship.id })).status).toBe("DeletionProposed");
    expect(metadataDeletes).toEqual([[requester.account, owner.address]]);
    await core.relationships.decompose(owner, id);
    expect(rels.has(relationship.id)).toBe(false);
    await expect(core.relationships.get(owner, { id: relationship.id })).rejects.toMatchObject({ code: "error.runtime.recordNotFound" });
  });

  it("validation runs after the action check and reports upstream's first error", async () => {
    const { core, requester } = twoParties();
    await expect(core.relationships.accept(requester, { relationshipId: "foo" })).rejects.toMatchObject({
      code: "error.runtime.validation.invalidPropertyValue",
      message: "relationshipId must match pattern REL[A-Za-z0-9]{17}",
    });
    const limited = { ...requester, statement: { effect: "allow" as const, actions: [] } };
    await expect(core.relationships.accept(limited, { relationshipId: "foo" })).rejects.toMatchObject({ kind: "FORBIDDEN" });
  });
});

describe("template use cases", () => {
  it("tokens, list filters and deletion", async () => {
    const { core, owner, requester, template } = await established();
    const token = await core.relationshipTemplates.createToken(owner, { templateId: template.id });
    expect(token.content).toMatchObject({ "@type": "TokenContentRelationshipTemplate", templateId: template.id });
    await expect(core.relationshipTemplates.createToken(requester, { templateId: template.id })).rejects.toMatchObject({
      code: "error.runtime.relationshipTemplates.cannotCreateTokenForPeerTemplate",
    });
    expect((await core.relationshipTemplates.list(requester, { ownerRestriction: "p" })).items.map((t) => t.id)).toEqual([template.id]);
    expect(await core.relationshipTemplates.list(requester, { ownerRestriction: "o" })).toEqual({ items: [], nextCursor: null });
    await core.relationshipTemplates.delete(owner, { templateId: template.id });
    await expect(core.relationshipTemplates.get(owner, { id: template.id })).rejects.toMatchObject({ code: "error.runtime.recordNotFound" });
    // a relationship still renders the template it was created from
    expect((await core.relationships.list(owner)).items[0]!.template.id).toBe(template.id);
  });
});
