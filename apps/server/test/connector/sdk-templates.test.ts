import { testDialects } from "@idhub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARBITRARY, type Client, CREATION, establish, expectSdkSchema, failed, inTenMinutes, METADATA_NOT_FOUND, ok, pair as pairOf, REL_NOT_FOUND, RLT_NOT_FOUND, startSdkWorld } from "../support/connector-sdk.js";
import type { TestServer } from "../support/server.js";

// The real @nmshd/connector-sdk 6.7.0 (prefix /api/v2, Connector 6.x DTOs) against a real idhub
// server over HTTP: two accounts, one API key each. Upstream's flows and test tables, ported: the
// "syncUntil…" waits become direct reads (one server holds both accounts).
// This file: relationship templates, tenant isolation, Sync and health.

describe.each(testDialects)("Connector SDK 6.7.0 against idhub (%s)", (dialect) => {
  let server: TestServer;
  let a: Client;

  beforeAll(async () => {
    ({ server, a } = await startSdkWorld(dialect));
  });
  afterAll(() => server.stop());
  const pair = () => pairOf(server);

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
