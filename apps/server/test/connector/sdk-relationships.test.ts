import { testDialects } from "@idhub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARBITRARY, type Client, CREATION, establish, failed, inTenMinutes, lastReason, ok, pair as pairOf, REL_NOT_FOUND, RLT_NOT_FOUND, startSdkWorld, UNFAMILIAR } from "../support/connector-sdk.js";
import type { TestServer } from "../support/server.js";

// The real @nmshd/connector-sdk 6.7.0 (prefix /api/v2, Connector 6.x DTOs) against a real idhub
// server over HTTP: two accounts, one API key each. Upstream's flows and test tables, ported: the
// "syncUntil…" waits become direct reads (one server holds both accounts).
// This file: relationships (establish, reject, revoke, terminate, reactivate, decompose, queries, errors).

describe.each(testDialects)("Connector SDK 6.7.0 against idhub (%s)", (dialect) => {
  let server: TestServer;
  let a: Client;
  let b: Client;
  let addressA: string;
  let addressB: string;

  beforeAll(async () => {
    ({ server, a, b, addressA, addressB } = await startSdkWorld(dialect));
  });
  afterAll(() => server.stop());
  const pair = () => pairOf(server);

  async function expectStatus(id: string, status: string, reason?: string) {
    for (const client of [a, b]) {
      const r = ok(await client.relationships.getRelationship(id), "ConnectorRelationship");
      expect(r.status).toBe(status);
      if (reason) expect(lastReason(r)).toBe(reason);
    }
  }

  it("establishes a relationship through template, token and load; both sides see it", async () => {
    const { template, token, relationship } = await establish(a, b, { accept: false });
    expect(template).toMatchObject({ isOwn: true, createdBy: addressA, maxNumberOfAllocations: 1, content: ARBITRARY });
    expect(template.truncatedReference).toMatch(/^UkxU/);
    expect(token.truncatedReference).toMatch(/^VE9L/);
    // GET by id and the /Own list render exactly what POST answered
    expect(ok(await a.relationshipTemplates.getRelationshipTemplate(template.id), "ConnectorRelationshipTemplate")).toEqual(template);
    expect(ok(await a.relationshipTemplates.getOwnRelationshipTemplates(), "ConnectorRelationshipTemplates")).toContainEqual(template);
    expect(ok(await b.relationshipTemplates.getPeerRelationshipTemplates(), "ConnectorRelationshipTemplates").map((t) => t.id)).toContain(template.id);

    expect(relationship).toMatchObject({ peer: addressA, template: { id: template.id, isOwn: false }, creationContent: CREATION });
    expect(relationship.auditLog).toEqual([
      { createdAt: expect.any(String), createdBy: addressB, createdByDevice: expect.stringMatching(/^DVC[A-Za-z0-9]{17}$/), reason: "Creation", newStatus: "Pending" },
    ]);
    const seenByA = ok(await a.relationships.getRelationships(), "ConnectorRelationships");
    expect(seenByA.map((r) => r.id)).toContain(relationship.id);
    const mine = seenByA.find((r) => r.id === relationship.id)!;
    expect(mine).toMatchObject({ peer: addressB, status: "Pending", template: { id: template.id, isOwn: true } });
    expect(mine.peerIdentity.address).toBe(addressB);

    // only the template owner may accept
    failed(
      await b.relationships.acceptRelationship(relationship.id),
      "error.transport.relationships.operationOnlyAllowedForPeer",
      `Only your peer can accept the relationship ${relationship.id}`,
    );
    ok(await a.relationships.acceptRelationship(relationship.id), "ConnectorRelationship");
    await expectStatus(relationship.id, "Active", "AcceptanceOfCreation");
    expect(ok(await b.relationships.getRelationships({ peer: addressA, status: "Active" } as never), "ConnectorRelationships")).toHaveLength(1);
  });

  it("reject: the template owner rejects, both see Rejected; the requester may not reject", async () => {
    const { x, y } = await pair();
    const { relationship } = await establish(x, y, { accept: false });
    failed(
      await y.relationships.rejectRelationship(relationship.id),
      "error.transport.relationships.operationOnlyAllowedForPeer",
      `Only your peer can reject the relationship ${relationship.id}. Revoke the relationship instead.`,
    );
    const rejected = ok(await x.relationships.rejectRelationship(relationship.id), "ConnectorRelationship");
    expect({ status: rejected.status, reason: lastReason(rejected) }).toEqual({ status: "Rejected", reason: "RejectionOfCreation" });
    expect(ok(await y.relationships.getRelationship(relationship.id)).status).toBe("Rejected");
    // a rejected relationship keeps the peer familiar and does not block a new one
    ok(await y.identityMetadata.upsertIdentityMetadata({ reference: ok(await x.account.getIdentityInfo()).address, value: 1 }));
    await establish(x, y);
  });

  it("revoke: the requester revokes, both see Revoked; the template owner may not revoke", async () => {
    const { x, y } = await pair();
    const { relationship } = await establish(x, y, { accept: false });
    failed(
      await x.relationships.revokeRelationship(relationship.id),
      "error.transport.relationships.operationOnlyAllowedForPeer",
      `Only your peer can revoke the relationship ${relationship.id}. Reject the relationship instead.`,
    );
    const revoked = ok(await y.relationships.revokeRelationship(relationship.id), "ConnectorRelationship");
    expect({ status: revoked.status, reason: lastReason(revoked) }).toEqual({ status: "Revoked", reason: "RevocationOfCreation" });
    expect(ok(await x.relationships.getRelationship(relationship.id)).status).toBe("Revoked");
    failed(await x.relationships.acceptRelationship(relationship.id), "error.transport.relationships.wrongRelationshipStatus",
      `The Relationship '${relationship.id}' has the wrong status 'Revoked' to run this operation.`);
  });

  it("terminate and reactivate (upstream sequence: reject, revoke, accept)", async () => {
    const { x, y } = await pair();
    const { relationship } = await establish(x, y);
    const id = relationship.id;
    const both = async (status: string, reason: string) => {
      for (const client of [x, y]) {
        const r = ok(await client.relationships.getRelationship(id), "ConnectorRelationship");
        expect({ status: r.status, reason: lastReason(r) }).toEqual({ status, reason });
      }
    };
    failed(await x.relationships.decomposeRelationship(id), "error.transport.relationships.wrongRelationshipStatus",
      `The Relationship '${id}' has the wrong status 'Active' to run this operation.`);
    failed(await x.relationships.requestRelationshipReactivation(id), "error.transport.relationships.wrongRelationshipStatus");
    ok(await x.relationships.terminateRelationship(id), "ConnectorRelationship");
    await both("Terminated", "Termination");
    failed(await x.relationships.terminateRelationship(id), "error.transport.relationships.wrongRelationshipStatus");
    failed(await y.relationships.acceptRelationshipReactivation(id), "error.transport.relationships.reactivationNotRequested",
      `The Relationship '${id}' has no reactivation Request to respond to.`);

    ok(await x.relationships.requestRelationshipReactivation(id), "ConnectorRelationship");
    await both("Terminated", "ReactivationRequested");
    failed(await x.relationships.requestRelationshipReactivation(id), "error.transport.relationships.reactivationAlreadyRequested",
      `You have already requested the reactivation of the relationship ${id}.`);
    failed(await y.relationships.requestRelationshipReactivation(id), "error.transport.relationships.reactivationAlreadyRequested",
      `Your peer has already requested the reactivation of the relationship ${id}. You can accept the reactivation instead.`);
    failed(await x.relationships.acceptRelationshipReactivation(id), "error.transport.relationships.operationOnlyAllowedForPeer",
      `Only your peer can accept the reactivation of the relationship ${id}.`);
    failed(await x.relationships.rejectRelationshipReactivation(id), "error.transport.relationships.operationOnlyAllowedForPeer",
      `Only your peer can reject the reactivation of the relationship ${id}. Revoke the relationship reactivation instead.`);
    failed(await y.relationships.revokeRelationshipReactivation(id), "error.transport.relationships.operationOnlyAllowedForPeer",
      `Only your peer can revoke the reactivation of the relationship ${id}. Reject the relationship reactivation instead.`);
    ok(await y.relationships.rejectRelationshipReactivation(id), "ConnectorRelationship");
    await both("Terminated", "RejectionOfReactivation");

    ok(await x.relationships.requestRelationshipReactivation(id));
    ok(await x.relationships.revokeRelationshipReactivation(id), "ConnectorRelationship");
    await both("Terminated", "RevocationOfReactivation");

    ok(await x.relationships.requestRelationshipReactivation(id));
    const active = ok(await y.relationships.acceptRelationshipReactivation(id), "ConnectorRelationship");
    expect(active.auditLog.at(-1)).toMatchObject({ reason: "AcceptanceOfReactivation", oldStatus: "Terminated", newStatus: "Active" });
    await both("Active", "AcceptanceOfReactivation");
  });

  it("terminate and decompose on both sides, with the metadata cascade", async () => {
    const { x, y, addressX, addressY } = await pair();
    const { relationship } = await establish(x, y);
    const id = relationship.id;
    // both keep metadata about the peer and about themselves
    for (const [client, peer, own] of [[x, addressY, addressX], [y, addressX, addressY]] as const) {
      ok(await client.identityMetadata.upsertIdentityMetadata({ reference: peer, value: "no key" }));
      ok(await client.identityMetadata.upsertIdentityMetadata({ reference: peer, key: "k", value: "keyed" }));
      ok(await client.identityMetadata.upsertIdentityMetadata({ reference: own, value: "own" }));
    }
    ok(await x.relationships.terminateRelationship(id));

    // y decomposes first
    const decomposed = await y.relationships.decomposeRelationship(id);
    expect({ isSuccess: decomposed.isSuccess, result: decomposed.result }).toEqual({ isSuccess: true, result: undefined });
    expect(ok(await y.relationships.getRelationships(), "ConnectorRelationships")).toEqual([]);
    failed(await y.relationships.getRelationship(id), "error.runtime.recordNotFound", REL_NOT_FOUND);
    failed(await y.relationships.decomposeRelationship(id), "error.runtime.recordNotFound", REL_NOT_FOUND);
    // y's metadata about x is gone (every key), its own-address metadata stays; x is unfamiliar now
    failed(await y.identityMetadata.getIdentityMetadata(addressX), "error.runtime.identityMetadata.notFound");
    failed(await y.identityMetadata.getIdentityMetadata(addressX, "k"), "error.runtime.identityMetadata.notFound");
    expect(ok(await y.identityMetadata.getIdentityMetadata(addressY)).value).toBe("own");
    failed(await y.identityMetadata.upsertIdentityMetadata({ reference: addressX, value: 1 }), "error.runtime.identityMetadata.unfamiliarReferencedIdentity", UNFAMILIAR);

    // x sees DeletionProposed, keeps its metadata and may still write about y
    const [seen] = ok(await x.relationships.getRelationships(), "ConnectorRelationships");
    expect(seen).toMatchObject({ id, status: "DeletionProposed" });
    expect(seen!.auditLog.at(-1)).toMatchObject({ reason: "Decomposition", oldStatus: "Terminated", newStatus: "DeletionProposed", createdBy: addressY });
    expect(ok(await x.identityMetadata.getIdentityMetadata(addressY, "k")).value).toBe("keyed");
    ok(await x.identityMetadata.upsertIdentityMetadata({ reference: addressY, key: "k2", value: 2 }));

    // a new relationship cannot start yet, from either side's point of view
    const t = ok(await x.relationshipTemplates.createOwnRelationshipTemplate({ expiresAt: inTenMinutes(), content: ARBITRARY } as never));
    ok(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference: t.truncatedReference }));
    failed(await y.relationships.createRelationship({ templateId: t.id, creationContent: CREATION } as never),
      "error.transport.relationships.relationshipNotYetDecomposedByPeer",
      "No new Relationship can be created as the former Relationship is not yet decomposed by the peer.");
    const t2 = ok(await y.relationshipTemplates.createOwnRelationshipTemplate({ expiresAt: inTenMinutes(), content: ARBITRARY } as never));
    ok(await x.relationshipTemplates.loadPeerRelationshipTemplate({ reference: t2.truncatedReference }));
    failed(await x.relationships.createRelationship({ templateId: t2.id, creationContent: CREATION } as never),
      "error.transport.relationships.relationshipCurrentlyExists",
      "No new Relationship to the peer can be created as a Relationship in status 'DeletionProposed' currently exists.");
    expect(ok(await y.relationships.canCreateRelationship({ templateId: t.id }), "CanCreateRelationshipResponse")).toEqual({
      isSuccess: false,
      code: "error.transport.relationships.relationshipNotYetDecomposedByPeer",
      message: "No new Relationship can be created as the former Relationship is not yet decomposed by the peer.",
    });

    // x decomposes too: gone for both, x's metadata about y gone
    ok(await x.relationships.decomposeRelationship(id));
    expect(ok(await x.relationships.getRelationships(), "ConnectorRelationships")).toEqual([]);
    failed(await x.relationships.getRelationship(id), "error.runtime.recordNotFound", REL_NOT_FOUND);
    for (const key of [undefined, "k", "k2"]) failed(await x.identityMetadata.getIdentityMetadata(addressY, key), "error.runtime.identityMetadata.notFound");
    expect(ok(await x.identityMetadata.getIdentityMetadata(addressX)).value).toBe("own");

    // and a new relationship can be established
    ok(await y.relationships.canCreateRelationship({ templateId: t.id, creationContent: CREATION } as never), "CanCreateRelationshipResponse");
    const again = ok(await y.relationships.createRelationship({ templateId: t.id, creationContent: CREATION } as never), "ConnectorRelationship");
    expect(again.status).toBe("Pending");
  });

  it("relationship queries: peer, status (repeated) and template.id / templateId", async () => {
    const { x, y, addressY } = await pair();
    const { relationship, template } = await establish(x, y);
    const other = await pair();
    const second = await establish(x, other.x, { accept: false });
    const ids = async (q: object) => ok(await x.relationships.getRelationships(q as never), "ConnectorRelationships").map((r) => r.id).sort();
    expect(await ids({})).toEqual([relationship.id, second.relationship.id].sort());
    expect(await ids({ peer: addressY })).toEqual([relationship.id]);
    expect(await ids({ status: "Active" })).toEqual([relationship.id]);
    expect(await ids({ status: ["Active", "Pending"] })).toEqual([relationship.id, second.relationship.id].sort());
    expect(await ids({ templateId: template.id })).toEqual([relationship.id]);
    expect(await ids({ "template.id": second.template.id })).toEqual([second.relationship.id]);
    expect(await ids({ status: "Nonsense" })).toEqual([]);
    failed(await x.relationships.getRelationships({ foo: "bar" } as never), "error.runtime.validation.invalidPropertyValue", "query must NOT have additional properties");
  });

  it("relationship errors: unknown and malformed ids", async () => {
    const fake = "RELxxxxxxxxxxxxxxxxx";
    failed(await a.relationships.getRelationship(fake), "error.runtime.recordNotFound", REL_NOT_FOUND);
    for (const call of [
      a.relationships.acceptRelationship(fake),
      a.relationships.rejectRelationship(fake),
      a.relationships.revokeRelationship(fake),
      a.relationships.terminateRelationship(fake),
      a.relationships.requestRelationshipReactivation(fake),
      a.relationships.acceptRelationshipReactivation(fake),
      a.relationships.rejectRelationshipReactivation(fake),
      a.relationships.revokeRelationshipReactivation(fake),
      a.relationships.decomposeRelationship(fake),
    ]) {
      failed(await call, "error.runtime.recordNotFound", REL_NOT_FOUND);
    }
    failed(await a.relationships.getRelationship("foo"), "error.runtime.validation.invalidPropertyValue", "id must match pattern REL[A-Za-z0-9]{17}");
    failed(await a.relationships.acceptRelationship("foo"), "error.runtime.validation.invalidPropertyValue", "relationshipId must match pattern REL[A-Za-z0-9]{17}");
    failed(await a.relationships.decomposeRelationship("foo"), "error.runtime.validation.invalidPropertyValue", "relationshipId must match pattern REL[A-Za-z0-9]{17}");
    failed(await a.relationships.createRelationship({} as never), "error.runtime.validation.invalidPropertyValue", "must have required property 'templateId'");
    failed(await a.relationships.createRelationship({ templateId: "RLTxxxxxxxxxxxxxxxxx" } as never), "error.runtime.validation.invalidPropertyValue", "must have required property 'creationContent'");
    failed(await a.relationships.createRelationship({ templateId: "RLTxxxxxxxxxxxxxxxxx", creationContent: CREATION } as never), "error.runtime.recordNotFound", RLT_NOT_FOUND);
    failed(await a.relationships.createRelationship({ templateId: "x", creationContent: CREATION } as never), "error.runtime.validation.invalidPropertyValue", "templateId must match pattern RLT[A-Za-z0-9]{17}");
    expect(ok(await a.relationships.canCreateRelationship({ templateId: "RLTxxxxxxxxxxxxxxxxx" }), "CanCreateRelationshipResponse")).toEqual({
      isSuccess: false,
      code: "error.runtime.recordNotFound",
      message: RLT_NOT_FOUND,
    });
  });

  it("creation errors: own template, not loaded, open relationship, content", async () => {
    const { x, y } = await pair();
    const own = ok(await x.relationshipTemplates.createOwnRelationshipTemplate({ expiresAt: inTenMinutes(), content: ARBITRARY } as never));
    failed(await x.relationships.createRelationship({ templateId: own.id, creationContent: CREATION } as never),
      "error.platform.validation.relationship.cannotCreateRelationshipWithYourself", "You cannot send a relationship request to yourself.");
    // loading the own template answers it as own
    expect(ok(await x.relationshipTemplates.loadPeerRelationshipTemplate({ reference: own.truncatedReference }), "ConnectorRelationshipTemplate").isOwn).toBe(true);
    // not loaded yet → not found for the peer
    failed(await y.relationships.createRelationship({ templateId: own.id, creationContent: CREATION } as never), "error.runtime.recordNotFound", RLT_NOT_FOUND);
    ok(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference: own.truncatedReference }));
    for (const [content, code, message] of [
      [{ a: 1 }, "error.runtime.validation.invalidPropertyValue", "The creationContent of a Relationship must either be an ArbitraryRelationshipCreationContent or a RelationshipCreationContent."],
      [{ "@type": "ArbitraryRelationshipCreationContent" }, "error.runtime.requestDeserialization", "ArbitraryRelationshipCreationContent.value :: Value is not defined"],
      [{ "@type": "RelationshipCreationContent", response: {} }, "error.runtime.validation.invalidPropertyValue", "The creationContent of a Relationship must be an ArbitraryRelationshipCreationContent if the content of the RelationshipTemplate is an ArbitraryRelationshipTemplateContent."],
      [{ "@type": "NonExistentType" }, "error.runtime.unknownType", "Type 'NonExistentType' with version 1 was not found within reflection classes. You might have to install a module first."],
    ] as const) {
      failed(await y.relationships.createRelationship({ templateId: own.id, creationContent: content } as never), code, message);
    }
    const created = ok(await y.relationships.createRelationship({ templateId: own.id, creationContent: { ...CREATION, extra: 1 } } as never), "ConnectorRelationship");
    expect(created.creationContent).toEqual(CREATION);
    failed(await y.relationships.createRelationship({ templateId: own.id, creationContent: CREATION } as never),
      "error.transport.relationships.relationshipCurrentlyExists",
      "No new Relationship to the peer can be created as a Relationship in status 'Pending' currently exists.");
  });
});
