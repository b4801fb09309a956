import type { CreatedAccount } from "@idhub/core";
import { testDialects } from "@idhub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorClient, expectSdkSchema, failed, ok, type Client } from "./support/connector-sdk.js";
import { startTestServer, type TestServer } from "./support/server.js";

// The real @nmshd/connector-sdk 6.7.0 (prefix /api/v2, Connector 6.x DTOs) against a real idhub
// server over HTTP: two accounts, one API key each. Upstream's flows and test tables, ported: the
// "syncUntil…" waits become direct reads (one server holds both accounts).

const ARBITRARY = { "@type": "ArbitraryRelationshipTemplateContent", value: { a: "b" } };
const CREATION = { "@type": "ArbitraryRelationshipCreationContent", value: {} };
const inTenMinutes = () => new Date(Date.now() + 10 * 60_000).toISOString();
const randomAddress = () =>
  `did:e:localhost:dids:${Array.from({ length: 22 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("")}`;

const UNFAMILIAR =
  "The reference of the IdentityMetadata resolves neither to the address of a peer of a Relationship nor the address of the own Identity.";
const METADATA_NOT_FOUND = "There is no stored IdentityMetadata for the specified combination of reference and key.";
const REL_NOT_FOUND = "Relationship not found. Make sure the ID exists and the record is not expired.";
const RLT_NOT_FOUND = "RelationshipTemplate not found. Make sure the ID exists and the record is not expired.";

describe.each(testDialects)("Connector SDK 6.7.0 against idhub (%s)", (dialect) => {
  let server: TestServer;
  let accounts: CreatedAccount[];
  let a: Client;
  let b: Client;
  let addressA: string;
  let addressB: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    accounts = [await server.createAccount("A"), await server.createAccount("B")];
    a = connectorClient(server.url, accounts[0]!.secret);
    b = connectorClient(server.url, accounts[1]!.secret);
    addressA = ok(await a.account.getIdentityInfo(), "IdentityInfo").address;
    addressB = ok(await b.account.getIdentityInfo(), "IdentityInfo").address;
  });
  afterAll(() => server.stop());

  /** upstream `establishRelationship(A = templator, B = requester)`, through a token. */
  async function establish(templator: Client, requester: Client, options: { accept?: boolean } = {}) {
    const template = ok(
      await templator.relationshipTemplates.createOwnRelationshipTemplate({
        maxNumberOfAllocations: 1,
        expiresAt: inTenMinutes(),
        content: ARBITRARY,
      } as never),
      "ConnectorRelationshipTemplate",
    );
    const token = ok(await templator.relationshipTemplates.createTokenForOwnRelationshipTemplate(template.id), "ConnectorToken");
    const loaded = ok(
      await requester.relationshipTemplates.loadPeerRelationshipTemplate({ reference: token.truncatedReference }),
      "ConnectorRelationshipTemplate",
    );
    expect(loaded).toMatchObject({ id: template.id, isOwn: false });
    const relationship = ok(
      await requester.relationships.createRelationship({ templateId: template.id, creationContent: CREATION } as never),
      "ConnectorRelationship",
    );
    expect(relationship.status).toBe("Pending");
    ok(await templator.account.sync());
    if (options.accept !== false) {
      const accepted = ok(await templator.relationships.acceptRelationship(relationship.id), "ConnectorRelationship");
      expect(accepted.status).toBe("Active");
    }
    return { template, token, relationship };
  }

  const lastReason = (r: { auditLog: Array<{ reason: string }> }) => r.auditLog[r.auditLog.length - 1]!.reason;
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

  /** Two fresh accounts with their SDK clients and addresses. */
  async function pair() {
    const [x, y] = [await server.createAccount(), await server.createAccount()];
    const cx = connectorClient(server.url, x.secret);
    const cy = connectorClient(server.url, y.secret);
    return {
      x: cx,
      y: cy,
      addressX: ok(await cx.account.getIdentityInfo()).address,
      addressY: ok(await cy.account.getIdentityInfo()).address,
    };
  }

  describe("IdentityMetadata (upstream runtime tests R1–R9, ported to the SDK)", () => {
    let own: string;
    let peer: string;
    let x: Client;
    beforeAll(async () => {
      const p = await pair();
      await establish(p.x, p.y);
      ({ x } = p);
      own = p.addressX;
      peer = p.addressY;
    });
    const clear = async () => {
      for (const reference of [own, peer]) for (const key of [undefined, "key"]) await x.identityMetadata.deleteIdentityMetadata(reference, key);
    };

    it("R1 upsert about the peer with a string value", async () => {
      await clear();
      const m = ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, value: "value" }), "ConnectorIdentityMetadata");
      expect(m.reference).toBe(peer);
      expect(m.key).toBeUndefined();
      expect("key" in m).toBe(false);
      expect(m.value).toBe("value");
    });

    it("R2 upsert a JSON object", async () => {
      await clear();
      const m = ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, value: { a: "json" } }), "ConnectorIdentityMetadata");
      expect(m.key).toBeUndefined();
      expect(m.value).toStrictEqual({ a: "json" });
    });

    it("R3 upsert with a key", async () => {
      await clear();
      const m = ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, key: "key", value: "value" }), "ConnectorIdentityMetadata");
      expect(m.key).toBe("key");
    });

    it("R4 upsert about the own identity", async () => {
      await clear();
      const m = ok(await x.identityMetadata.upsertIdentityMetadata({ reference: own, value: "value" }), "ConnectorIdentityMetadata");
      expect(m.reference).toBe(own);
      expect(m.key).toBeUndefined();
    });

    it("R5 upsert about an unfamiliar identity fails", async () => {
      failed(
        await x.identityMetadata.upsertIdentityMetadata({ reference: randomAddress(), value: "value" }),
        "error.runtime.identityMetadata.unfamiliarReferencedIdentity",
        UNFAMILIAR,
      );
    });

    it("R6 get", async () => {
      await clear();
      ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, value: "value" }));
      const m = ok(await x.identityMetadata.getIdentityMetadata(peer), "ConnectorIdentityMetadata");
      expect(m.value).toBe("value");
    });

    it("R7 get a missing record", async () => {
      await clear();
      failed(await x.identityMetadata.getIdentityMetadata(peer), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
    });

    it("R8 delete, then get fails", async () => {
      await clear();
      ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, value: "value" }));
      const deleted = await x.identityMetadata.deleteIdentityMetadata(peer);
      expect(deleted.isSuccess).toBe(true);
      expect(deleted.result).toBeUndefined();
      failed(await x.identityMetadata.getIdentityMetadata(peer), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
    });

    it("R9 delete a missing record", async () => {
      await clear();
      failed(await x.identityMetadata.deleteIdentityMetadata(peer), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
    });

    it("K1–K5 (Connector integration tests): key undefined, update in place, key, get, delete", async () => {
      await clear();
      const k1 = ok(await x.identityMetadata.upsertIdentityMetadata({ key: undefined, value: "value", reference: own }), "ConnectorIdentityMetadata");
      expect(k1).toStrictEqual({ reference: own, value: "value" });
      const k2 = ok(await x.identityMetadata.upsertIdentityMetadata({ key: undefined, value: { a: "json" }, reference: own }), "ConnectorIdentityMetadata");
      expect(k2.value).toStrictEqual({ a: "json" });
      const k3 = ok(await x.identityMetadata.upsertIdentityMetadata({ key: "key", value: "value", reference: own }), "ConnectorIdentityMetadata");
      expect(k3.key).toBe("key");
      ok(await x.identityMetadata.upsertIdentityMetadata({ reference: own, value: "value" }));
      expect(ok(await x.identityMetadata.getIdentityMetadata(own), "ConnectorIdentityMetadata").value).toBe("value");
      const deleted = await x.identityMetadata.deleteIdentityMetadata(own);
      expect({ isSuccess: deleted.isSuccess, result: deleted.result }).toEqual({ isSuccess: true, result: undefined });
      failed(await x.identityMetadata.getIdentityMetadata(own), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
      // the keyed record is untouched
      expect(ok(await x.identityMetadata.getIdentityMetadata(own, "key")).value).toBe("value");
    });

    it("keys: none, \"\", spaces and & travel through the SDK's query string", async () => {
      await clear();
      for (const key of [undefined, "", "a key & more", "ä/€?#"]) {
        ok(await x.identityMetadata.upsertIdentityMetadata({ reference: own, key, value: key ?? null }), "ConnectorIdentityMetadata");
      }
      for (const key of [undefined, "", "a key & more", "ä/€?#"]) {
        const m = ok(await x.identityMetadata.getIdentityMetadata(own, key), "ConnectorIdentityMetadata");
        expect(m).toStrictEqual(key === undefined ? { reference: own, value: null } : { reference: own, key, value: key });
      }
      for (const key of ["", "a key & more", "ä/€?#"]) ok(await x.identityMetadata.deleteIdentityMetadata(own, key));
    });

    it("values round-trip exactly (D12), null included (deliberate deviation), @type kept", async () => {
      for (const value of [0, false, "", [], {}, [null, 1, "x"], { nested: { deep: [{ "@type": "X" }] } }, null, { "@type": "Kept", a: 1 }]) {
        ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, key: "v", value }), "ConnectorIdentityMetadata");
        expect(ok(await x.identityMetadata.getIdentityMetadata(peer, "v")).value).toStrictEqual(value);
      }
    });

    it("validation errors carry upstream's code and first message", async () => {
      const cases: Array<[unknown, string]> = [
        [{}, "must have required property 'reference'"],
        [{ reference: peer }, "must have required property 'value'"],
        [{ value: 1 }, "must have required property 'reference'"],
        [{ reference: peer, value: 1, extra: true }, "must NOT have additional properties"],
        [{ reference: peer, key: 5, value: 1 }, "key must be string"],
        [{ reference: peer, key: null, value: 1 }, "key must be string"],
        [{ reference: 5, value: 1 }, "reference must be string"],
        [
          { reference: "id1abcdefghijklmnopqrstuvwxyz0123456", value: 1 },
          "reference must match pattern did:e:((([A-Za-z0-9]+(-[A-Za-z0-9]+)*)\\.)+[a-z]{2,}|localhost):dids:[0-9a-f]{22}",
        ],
        [{ reference: peer.toUpperCase(), value: 1 }, "reference must match pattern did:e:((([A-Za-z0-9]+(-[A-Za-z0-9]+)*)\\.)+[a-z]{2,}|localhost):dids:[0-9a-f]{22}"],
      ];
      for (const [body, message] of cases) {
        failed(await x.identityMetadata.upsertIdentityMetadata(body as never), "error.runtime.validation.invalidPropertyValue", message);
      }
      failed(await x.identityMetadata.getIdentityMetadata("did:e:example:dids:0123456789abcdef012345"), "error.runtime.validation.invalidPropertyValue", /^reference must match pattern/);
    });

    it("get and delete need no familiarity (D6): an unknown address is simply not found", async () => {
      failed(await x.identityMetadata.getIdentityMetadata(randomAddress()), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
      failed(await x.identityMetadata.deleteIdentityMetadata(randomAddress(), "k"), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
    });
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

  it("templates: allocations, personalization, passwords, tokens and content errors", async () => {
    const { x, y, addressY } = await pair();
    const third = await pair();
    // maxNumberOfAllocations: 1 → the first distinct loader uses it, a second identity cannot load
    const single = ok(await x.relationshipTemplates.createOwnRelationshipTemplate({ maxNumberOfAllocations: 1, expiresAt: inTenMinutes(), content: ARBITRARY } as never));
    ok(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference: single.truncatedReference }));
    ok(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference: single.truncatedReference }));
    ok(await x.relationshipTemplates.loadPeerRelationshipTemplate({ reference: single.truncatedReference }));
    failed(await third.x.relationshipTemplates.loadPeerRelationshipTemplate({ reference: single.truncatedReference }),
      "error.platform.validation.relationshipTemplate.maxNumberOfAllocationsExhausted",
      "The maximum number of allocations (maxNumberOfAllocations) of the template you are trying to read is exhausted.");

    // unlimited: the key is absent
    const unlimited = ok(await x.relationshipTemplates.createOwnRelationshipTemplate({ expiresAt: inTenMinutes(), content: ARBITRARY } as never), "ConnectorRelationshipTemplate");
    expect("maxNumberOfAllocations" in unlimited).toBe(false);

    // personalized for y: only y may load it; tokens must repeat the personalization
    const personal = ok(await x.relationshipTemplates.createOwnRelationshipTemplate({ forIdentity: addressY, expiresAt: inTenMinutes(), content: ARBITRARY } as never), "ConnectorRelationshipTemplate");
    expect(personal.forIdentity).toBe(addressY);
    failed(await x.relationshipTemplates.createTokenForOwnRelationshipTemplate(personal.id), "error.runtime.relationshipTemplates.personalizationMustBeInherited",
      "If a RelationshipTemplate is personalized, Tokens created from it must have the same personalization.");
    const personalToken = ok(await x.relationshipTemplates.createTokenForOwnRelationshipTemplate(personal.id, { forIdentity: addressY } as never), "ConnectorToken");
    failed(await third.x.relationshipTemplates.loadPeerRelationshipTemplate({ reference: personal.truncatedReference }), "error.transport.general.notIntendedForYou",
      `You tried to access personalized content '${personal.id}'. You are either not logged in or the content is not intended for you.`);
    failed(await third.x.relationshipTemplates.loadPeerRelationshipTemplate({ reference: personalToken.truncatedReference }), "error.transport.general.notIntendedForYou");
    expect(ok(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference: personalToken.truncatedReference }), "ConnectorRelationshipTemplate").forIdentity).toBe(addressY);

    // password and PIN protection
    const pinned = ok(await x.relationshipTemplates.createOwnRelationshipTemplate({ passwordProtection: { password: "1234", passwordIsPin: true }, expiresAt: inTenMinutes(), content: ARBITRARY } as never), "ConnectorRelationshipTemplate");
    expect(pinned.passwordProtection).toEqual({ password: "1234", passwordIsPin: true });
    failed(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference: pinned.truncatedReference }), "error.transport.noPasswordProvided",
      "You need to provide a password to perform this operation.");
    failed(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference: pinned.truncatedReference, password: "0000" }), "error.runtime.recordNotFound", RLT_NOT_FOUND);
    failed(await x.relationshipTemplates.createTokenForOwnRelationshipTemplate(pinned.id, { passwordProtection: { password: "1234" } } as never),
      "error.runtime.relationshipTemplates.passwordProtectionMustBeInherited",
      "If a RelationshipTemplate has password protection, Tokens created from it must have the same password protection.");
    const pinToken = ok(await x.relationshipTemplates.createTokenForOwnRelationshipTemplate(pinned.id, { passwordProtection: { password: "1234", passwordIsPin: true } } as never), "ConnectorToken");
    failed(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference: pinToken.truncatedReference }), "error.transport.noPasswordProvided");
    const loadedPinned = ok(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference: pinToken.truncatedReference, password: "1234" }), "ConnectorRelationshipTemplate");
    expect(loadedPinned).toMatchObject({ isOwn: false, passwordProtection: { password: "1234", passwordIsPin: true } });

    // a tampered key looks like an unknown template or token
    const tamper = (reference: string) => {
      const text = Buffer.from(reference, "base64url").toString("utf8").split("|");
      text[2] = Buffer.alloc(32, 7).toString("base64url");
      return Buffer.from(text.join("|")).toString("base64url");
    };
    failed(await third.x.relationshipTemplates.loadPeerRelationshipTemplate({ reference: tamper(unlimited.truncatedReference) }), "error.runtime.recordNotFound", RLT_NOT_FOUND);
    const token = ok(await x.relationshipTemplates.createTokenForOwnRelationshipTemplate(unlimited.id, {} as never));
    failed(await third.x.relationshipTemplates.loadPeerRelationshipTemplate({ reference: tamper(token.truncatedReference) }), "error.runtime.recordNotFound",
      "Token not found. Make sure the ID exists and the record is not expired.");
    for (const reference of ["", "UkxUshort", "x".repeat(100)]) {
      failed(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference }), "error.runtime.validation.invalidPropertyValue", "token / relationship template reference invalid");
    }
    failed(await y.relationshipTemplates.loadPeerRelationshipTemplate({ reference: Buffer.from(`RLT${"a".repeat(17)}|3|${"k".repeat(60)}|x`).toString("base64url") } as never),
      "error.core-types.invalidTruncatedReference",
      "A truncated reference must consist of either exactly 3 or exactly 5 components, but it consists of '4' components.");

    // tokens only for own templates
    failed(await y.relationshipTemplates.createTokenForOwnRelationshipTemplate(unlimited.id), "error.runtime.recordNotFound", RLT_NOT_FOUND);
    failed(await y.relationshipTemplates.createTokenForOwnRelationshipTemplate(single.id), "error.runtime.relationshipTemplates.cannotCreateTokenForPeerTemplate",
      "You cannot create a Token for a peer RelationshipTemplate.");

    // creation validation
    const invalid: Array<[unknown, string, string]> = [
      [{}, "error.runtime.validation.invalidPropertyValue", "must have required property 'expiresAt'"],
      [{ expiresAt: inTenMinutes() }, "error.runtime.validation.invalidPropertyValue", "must have required property 'content'"],
      [{ expiresAt: "soon", content: ARBITRARY }, "error.runtime.validation.invalidPropertyValue", "expiresAt must match ISO8601 datetime format"],
      [{ expiresAt: "2020-01-01T00:00:00.000Z", content: ARBITRARY }, "error.runtime.validation.invalidPropertyValue", "'expiresAt' must be in the future"],
      [{ expiresAt: inTenMinutes(), content: ARBITRARY, maxNumberOfAllocations: 0 }, "error.runtime.validation.invalidPropertyValue", "maxNumberOfAllocations must be >= 1"],
      [{ expiresAt: inTenMinutes(), content: ARBITRARY, maxNumberOfAllocations: 1.5 }, "error.runtime.validation.invalidPropertyValue", "maxNumberOfAllocations must be integer"],
      [{ expiresAt: inTenMinutes(), content: ARBITRARY, extra: 1 }, "error.runtime.validation.invalidPropertyValue", "must NOT have additional properties"],
      [{ expiresAt: inTenMinutes(), content: ARBITRARY, passwordProtection: { password: "" } }, "error.runtime.validation.invalidPropertyValue", "passwordProtection/password must NOT have fewer than 1 characters"],
      [{ expiresAt: inTenMinutes(), content: ARBITRARY, passwordProtection: { password: "x", passwordIsPin: false } }, "error.runtime.validation.invalidPropertyValue", "passwordProtection/passwordIsPin must be equal to constant"],
      [{ expiresAt: inTenMinutes(), content: ARBITRARY, passwordProtection: { password: "abc", passwordIsPin: true } }, "error.runtime.validation.invalidPropertyValue",
        "'passwordProtection.passwordIsPin' is true, hence 'passwordProtection.password' must consist of 4 to 16 digits from 0 to 9."],
      [{ expiresAt: inTenMinutes(), content: { a: 1 } }, "error.runtime.validation.invalidPropertyValue",
        "The content of a RelationshipTemplate must either be a RelationshipTemplateContent or an ArbitraryRelationshipTemplateContent."],
      [{ expiresAt: inTenMinutes(), content: null }, "error.runtime.validation.invalidPropertyValue",
        "The content of a RelationshipTemplate must either be a RelationshipTemplateContent or an ArbitraryRelationshipTemplateContent."],
      [{ expiresAt: inTenMinutes(), content: { "@type": "ArbitraryRelationshipTemplateContent" } }, "error.runtime.requestDeserialization", "ArbitraryRelationshipTemplateContent.value :: Value is not defined"],
      [{ expiresAt: inTenMinutes(), content: { "@type": "NonExistentType" } }, "error.runtime.unknownType",
        "Type 'NonExistentType' with version 1 was not found within reflection classes. You might have to install a module first."],
      [{ expiresAt: inTenMinutes(), content: { "@type": "Message", a: "A" } }, "error.runtime.requestDeserialization", "Message.secretKey :: Value is not defined"],
      [{ expiresAt: inTenMinutes(), content: { "@type": 5 } }, "error.runtime.servalError", "@type is not a string."],
    ];
    for (const [body, code, message] of invalid) {
      failed(await x.relationshipTemplates.createOwnRelationshipTemplate(body as never), code, message);
    }
    // content is normalized: extra top-level keys dropped, nested @type kept
    const normalized = ok(await x.relationshipTemplates.createOwnRelationshipTemplate({
      expiresAt: "2099-01-01T01:00:00+01:00",
      content: { "@type": "ArbitraryRelationshipTemplateContent", "@version": "1", extra: 1, value: { "@type": "Inner", v: "" } },
    } as never), "ConnectorRelationshipTemplate");
    expect(normalized.content).toEqual({ "@type": "ArbitraryRelationshipTemplateContent", value: { "@type": "Inner", v: "" } });
    expect(normalized.expiresAt).toBe("2099-01-01T00:00:00.000Z");
  });

  it("template queries filter like the Connector", async () => {
    const { x, addressX } = await pair();
    const t = ok(await x.relationshipTemplates.createOwnRelationshipTemplate({ maxNumberOfAllocations: 3, expiresAt: inTenMinutes(), content: ARBITRARY } as never));
    const ids = async (q: object) => ok(await x.relationshipTemplates.getRelationshipTemplates(q as never), "ConnectorRelationshipTemplates").map((r) => r.id);
    expect(await ids({ isOwn: "true", createdBy: addressX, maxNumberOfAllocations: "3", createdAt: t.createdAt, expiresAt: t.expiresAt, createdByDevice: t.createdByDevice })).toEqual([t.id]);
    expect(await ids({ isOwn: "false" })).toEqual([]);
    expect(await ids({ maxNumberOfAllocations: "4" })).toEqual([]);
    expect(await ids({ createdBy: addressX.slice(0, -4) + "ffff" })).toEqual(addressX.endsWith("ffff") ? [t.id] : []);
    expect(await ids({ createdAt: `>${new Date(Date.parse(t.createdAt) - 86_400_000).toISOString()}` })).toEqual([t.id]);
    expect(await ids({ createdAt: `<${new Date(Date.parse(t.createdAt) - 86_400_000).toISOString()}` })).toEqual([]);
    expect(await ids({ forIdentity: "!" })).toEqual([t.id]);
    failed(await x.relationshipTemplates.getRelationshipTemplates({ nope: 1 } as never), "error.runtime.validation.invalidPropertyValue", "query must NOT have additional properties");
    failed(await x.relationshipTemplates.getRelationshipTemplate("RLTxxxxxxxxxxxxxxxxx"), "error.runtime.recordNotFound", RLT_NOT_FOUND);
    failed(await x.relationshipTemplates.getRelationshipTemplate("nope"), "error.runtime.validation.invalidPropertyValue", "id must match pattern RLT[A-Za-z0-9]{17}");
  });

  it("tenant isolation: a third account can never read or touch another account's relationship or metadata", async () => {
    const { x, y, addressX, addressY } = await pair();
    const { relationship, template } = await establish(x, y);
    ok(await x.identityMetadata.upsertIdentityMetadata({ reference: addressY, key: "secret", value: "x's" }));
    const intruder = (await pair()).x;
    failed(await intruder.relationships.getRelationship(relationship.id), "error.runtime.recordNotFound", REL_NOT_FOUND);
    for (const call of [
      intruder.relationships.acceptRelationship(relationship.id),
      intruder.relationships.terminateRelationship(relationship.id),
      intruder.relationships.requestRelationshipReactivation(relationship.id),
      intruder.relationships.decomposeRelationship(relationship.id),
    ]) {
      failed(await call, "error.runtime.recordNotFound", REL_NOT_FOUND);
    }
    expect(ok(await intruder.relationships.getRelationships({ peer: addressX } as never))).toEqual([]);
    failed(await intruder.relationshipTemplates.getRelationshipTemplate(template.id), "error.runtime.recordNotFound", RLT_NOT_FOUND);
    failed(await intruder.relationshipTemplates.createTokenForOwnRelationshipTemplate(template.id), "error.runtime.recordNotFound", RLT_NOT_FOUND);
    failed(await intruder.relationships.createRelationship({ templateId: template.id, creationContent: CREATION } as never), "error.runtime.recordNotFound", RLT_NOT_FOUND);
    failed(await intruder.identityMetadata.getIdentityMetadata(addressY, "secret"), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
    failed(await intruder.identityMetadata.deleteIdentityMetadata(addressY, "secret"), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
    failed(await intruder.identityMetadata.upsertIdentityMetadata({ reference: addressY, key: "secret", value: "mine" }), "error.runtime.identityMetadata.unfamiliarReferencedIdentity");
    expect(ok(await x.identityMetadata.getIdentityMetadata(addressY, "secret")).value).toBe("x's");
    expect(ok(await x.relationships.getRelationship(relationship.id)).status).toBe("Active");
  });

  it("Sync answers 204, SyncInfo 200, and health is plain JSON", async () => {
    const sync = await a.account.sync();
    expect({ isSuccess: sync.isSuccess, result: sync.result }).toEqual({ isSuccess: true, result: undefined });
    expect(ok(await a.account.getSyncInfo())).toEqual({});
    expectSdkSchema("ConnectorHealth", await a.monitoring.getHealth());
  });
});
