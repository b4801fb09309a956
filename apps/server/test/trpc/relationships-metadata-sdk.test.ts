import { createClient, errorCode } from "@idhub/sdk";
import { describe, expect, it } from "vitest";
import { withServer } from "../support/server.js";

// The same domain through @idhub/sdk over /trpc: templates, relationships and identity metadata
// (including our list extension), with the domain codes in error.data.domain.

describe("relationships and identity metadata through @idhub/sdk (tRPC over HTTP)", () => {
  const fx = withServer();

  it("establishes a relationship and manages metadata about the peer", async () => {
    const [a, b] = [await fx.server.createAccount("A"), await fx.server.createAccount("B")];
    const ca = createClient({ url: fx.server.url, apiKey: a.secret });
    const cb = createClient({ url: fx.server.url, apiKey: b.secret, batch: false });
    const template = await ca.relationshipTemplates.create.mutate({
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      content: { "@type": "ArbitraryRelationshipTemplateContent", value: { hello: "B" } },
    });
    await cb.relationshipTemplates.load.mutate({ reference: template.reference.url });
    const relationship = await cb.relationships.create.mutate({
      templateId: template.id,
      creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} },
    });
    expect(await cb.relationships.canCreate.query({ templateId: template.id })).toMatchObject({ isSuccess: false });
    expect((await ca.relationships.list.query({ query: { status: "Pending" } })).items.map((r) => r.id)).toEqual([relationship.id]);
    expect((await ca.relationships.accept.mutate({ relationshipId: relationship.id })).status).toBe("Active");

    const peer = b.account.address;
    const upserts = await Promise.all(
      ["k1", "k2", "k3"].map((key, i) => ca.identityMetadata.upsert.mutate({ reference: peer, key, value: { i } })),
    );
    expect(upserts.map((m) => m.version)).toEqual([1, 1, 1]);
    expect((await ca.identityMetadata.upsert.mutate({ reference: peer, key: "k1", value: "new", expectedVersion: 1 })).version).toBe(2);
    const page = await ca.identityMetadata.list.query({ reference: peer, keyPrefix: "k", limit: 2 });
    expect(page.items.map((m) => m.key)).toEqual(["k1", "k2"]);
    const rest = await ca.identityMetadata.list.query({ reference: peer, limit: 2, cursor: page.nextCursor! });
    expect(rest.items.map((m) => m.key)).toEqual(["k3"]);
    expect((await ca.identityMetadata.get.query({ reference: peer, key: "k1" })).value).toBe("new");
    await ca.identityMetadata.delete.mutate({ reference: peer, key: "k1" });

    const missing = await ca.identityMetadata.get.query({ reference: peer, key: "k1" }).catch((e: unknown) => e);
    expect(errorCode(missing)).toBe("error.runtime.identityMetadata.notFound");
    const stale = await ca.identityMetadata.upsert.mutate({ reference: peer, key: "k2", value: 0, expectedVersion: 7 }).catch((e: unknown) => e);
    expect(errorCode(stale)).toBe("identityMetadata.versionMismatch");
    const unfamiliar = await cb.identityMetadata.upsert
      .mutate({ reference: "did:e:localhost:dids:0123456789abcdef012345", value: 1 })
      .catch((e: unknown) => e);
    expect(errorCode(unfamiliar)).toBe("error.runtime.identityMetadata.unfamiliarReferencedIdentity");

    await cb.relationships.terminate.mutate({ relationshipId: relationship.id });
    await ca.relationships.decompose.mutate({ relationshipId: relationship.id });
    expect((await ca.identityMetadata.list.query({ reference: peer })).items).toEqual([]);
    expect((await cb.relationships.get.query({ id: relationship.id })).status).toBe("DeletionProposed");
  });
});
