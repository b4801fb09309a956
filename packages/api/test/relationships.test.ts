import { testDialects } from "@idhub/db/testing";
import { describe, expect, it } from "vitest";
import { callerFor, freshEnv, newAccount, rejection } from "./support.js";

// relationshipTemplates.* and relationships.* over tRPC (createCaller on real databases): the
// canonical shapes (epoch ms, `reference {truncated, url}`, both `templateId` and `template`),
// the domain codes in error.data.domain, the events of both parties, and time-dependent rules.

const ARBITRARY = { "@type": "ArbitraryRelationshipTemplateContent", value: { a: "b" } };
const CREATION = { "@type": "ArbitraryRelationshipCreationContent", value: {} };

describe.each(testDialects)("relationships over tRPC (%s)", (dialect) => {
  const env = freshEnv(dialect);

  const inMinutes = (m: number) => new Date(env.clock.ms + m * 60_000).toISOString();
  const events = (account: string) => env.database.store.read.events.list(account, 0, 1000);

  async function established() {
    const a = await newAccount(env.core, "A");
    const b = await newAccount(env.core, "B");
    const template = await a.caller.relationshipTemplates.create({ expiresAt: inMinutes(10), content: ARBITRARY, maxNumberOfAllocations: 2 });
    const token = await a.caller.relationshipTemplates.createToken({ templateId: template.id });
    await b.caller.relationshipTemplates.load({ reference: token.reference.truncated });
    const relationship = await b.caller.relationships.create({ templateId: template.id, creationContent: CREATION });
    return { a, b, template, token, relationship };
  }

  it("creates, loads and relates with canonical shapes (epoch ms, references, both template forms)", async () => {
    const { a, b, template, token, relationship } = await established();
    expect(template).toMatchObject({
      isOwn: true,
      createdBy: a.account.address,
      createdAt: env.clock.ms,
      expiresAt: env.clock.ms + 600_000,
      maxNumberOfAllocations: 2,
      content: ARBITRARY,
    });
    expect(template.createdByDevice).toMatch(/^DVC[A-Za-z0-9]{17}$/);
    expect(template.reference.truncated).toMatch(/^UkxU/);
    expect(token.content.templateId).toBe(template.id);
    expect(token.expiresAt).toBe(template.expiresAt);
    expect(relationship).toMatchObject({
      templateId: template.id,
      template: { id: template.id, isOwn: false },
      status: "Pending",
      peer: a.account.address,
      auditLog: [{ createdAt: env.clock.ms, createdBy: b.account.address, reason: "Creation", newStatus: "Pending" }],
    });
    expect((await a.caller.relationships.get({ id: relationship.id })).template.isOwn).toBe(true);
    expect((await a.caller.relationshipTemplates.list({ ownerRestriction: "o" })).items.map((t) => t.id)).toEqual([template.id]);
    expect(await a.caller.relationshipTemplates.list({ ownerRestriction: "p" })).toEqual({ items: [], nextCursor: null });
    expect((await b.caller.relationshipTemplates.list()).items.map((t) => t.id)).toEqual([template.id]);
    expect(await b.caller.relationships.canCreate({ templateId: template.id })).toEqual({
      isSuccess: false,
      code: "error.transport.relationships.relationshipCurrentlyExists",
      message: "No new Relationship to the peer can be created as a Relationship in status 'Pending' currently exists.",
    });
  });

  it("appends events for both parties on every change, and for the loader and owner on load", async () => {
    const { a, b, template, relationship } = await established();
    await a.caller.relationships.accept({ relationshipId: relationship.id });
    await b.caller.relationships.terminate({ relationshipId: relationship.id });
    await b.caller.relationships.decompose({ relationshipId: relationship.id });
    const typesOf = async (account: string) => (await events(account)).filter((e) => e.subject === relationship.id || e.subject === template.id).map((e) => e.type);
    expect(await typesOf(a.account.id)).toEqual([
      "relationshipTemplate.created",
      "relationshipTemplate.tokenCreated",
      "relationshipTemplate.allocated",
      "relationship.created",
      "relationship.statusChanged",
      "relationship.statusChanged",
      "relationship.decomposed",
    ]);
    expect(await typesOf(b.account.id)).toEqual([
      "relationshipTemplate.loaded",
      "relationship.created",
      "relationship.statusChanged",
      "relationship.statusChanged",
      "relationship.decomposed",
    ]);
    const changed = (await events(a.account.id)).find((e) => e.type === "relationship.statusChanged");
    expect(changed).toMatchObject({ actor: a.user.id, data: { oldStatus: "Pending", newStatus: "Active", reason: "AcceptanceOfCreation" } });
  });

  it("expired templates cannot be loaded or used; expired tokens are not found", async () => {
    const a = await newAccount(env.core, "A");
    const b = await newAccount(env.core, "B");
    const c = await newAccount(env.core, "C");
    const template = await a.caller.relationshipTemplates.create({ expiresAt: inMinutes(10), content: ARBITRARY });
    const token = await a.caller.relationshipTemplates.createToken({ templateId: template.id, expiresAt: inMinutes(5) });
    await b.caller.relationshipTemplates.load({ reference: template.reference.truncated });
    env.clock.ms += 6 * 60_000;
    expect(await rejection(c.caller.relationshipTemplates.load({ reference: token.reference.truncated }))).toMatchObject({
      code: "NOT_FOUND",
      domain: "error.runtime.recordNotFound",
      message: "Token not found. Make sure the ID exists and the record is not expired.",
    });
    env.clock.ms += 5 * 60_000;
    expect((await rejection(c.caller.relationshipTemplates.load({ reference: template.reference.truncated }))).domain).toBe("error.runtime.recordNotFound");
    // b loaded it in time: still in b's store, but too late to relate
    expect((await b.caller.relationshipTemplates.load({ reference: template.reference.truncated })).id).toBe(template.id);
    expect(await rejection(b.caller.relationships.create({ templateId: template.id, creationContent: CREATION }))).toMatchObject({
      code: "BAD_REQUEST",
      domain: "error.transport.relationships.relationshipTemplateIsExpired",
      message: `The RelationshipTemplate '${template.id}' is already expired and therefore cannot be used to create a Relationship.`,
    });
    expect((await rejection(a.caller.relationshipTemplates.createToken({ templateId: template.id, expiresAt: inMinutes(-1) }))).message).toBe(
      "'expiresAt' must be in the future",
    );
  });

  it("RelationshipTemplateContent is accepted structurally but cannot start a relationship here", async () => {
    const a = await newAccount(env.core, "A");
    const b = await newAccount(env.core, "B");
    const content = { "@type": "RelationshipTemplateContent", title: "t", onNewRelationship: { "@type": "Request", items: [] } };
    const template = await a.caller.relationshipTemplates.create({ expiresAt: inMinutes(10), content });
    expect(template.content).toEqual({ ...content, onNewRelationship: { ...content.onNewRelationship, expiresAt: inMinutes(10) } });
    expect((await rejection(a.caller.relationshipTemplates.create({
      expiresAt: inMinutes(10),
      content: { ...content, onNewRelationship: { "@type": "Request", items: [], expiresAt: inMinutes(11) } },
    }))).domain).toBe("error.runtime.relationshipTemplates.requestCannotExpireAfterRelationshipTemplate");
    await b.caller.relationshipTemplates.load({ reference: template.reference.url });
    expect((await rejection(b.caller.relationships.create({ templateId: template.id, creationContent: CREATION }))).message).toBe(
      "The creationContent of a Relationship must be a RelationshipCreationContent if the content of the RelationshipTemplate is a RelationshipTemplateContent.",
    );
    expect(await rejection(b.caller.relationships.create({ templateId: template.id, creationContent: { "@type": "RelationshipCreationContent", response: {} } }))).toMatchObject({
      domain: "error.runtime.relationships.noAcceptedIncomingRequest",
      message: "There is no accepted incoming Request associated with the RelationshipTemplateContent of the RelationshipTemplate.",
    });
  });

  it("concurrent creates from two templates of the same owner leave one open relationship", async () => {
    const a = await newAccount(env.core, "A");
    const b = await newAccount(env.core, "B");
    const templates = await Promise.all([1, 2, 3, 4].map(() => a.caller.relationshipTemplates.create({ expiresAt: inMinutes(10), content: ARBITRARY })));
    for (const t of templates) await b.caller.relationshipTemplates.load({ reference: t.reference.truncated });
    const results = await Promise.allSettled(templates.map((t) => b.caller.relationships.create({ templateId: t.id, creationContent: CREATION })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await b.caller.relationships.list()).items).toHaveLength(1);
  });

  it("concurrent accepts of one relationship: exactly one transition is recorded", async () => {
    const { a, relationship } = await established();
    const results = await Promise.allSettled([1, 2, 3].map(() => a.caller.relationships.accept({ relationshipId: relationship.id })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const final = await a.caller.relationships.get({ id: relationship.id });
    expect(final.auditLog.map((e) => e.reason)).toEqual(["Creation", "AcceptanceOfCreation"]);
  });

  it("account B cannot read, list or change account A's relationships or templates (NOT_FOUND)", async () => {
    const { a, relationship, template } = await established();
    const outsider = await newAccount(env.core, "C");
    for (const call of [
      () => outsider.caller.relationships.get({ id: relationship.id }),
      () => outsider.caller.relationships.accept({ relationshipId: relationship.id }),
      () => outsider.caller.relationships.revoke({ relationshipId: relationship.id }),
      () => outsider.caller.relationships.decompose({ relationshipId: relationship.id }),
      () => outsider.caller.relationshipTemplates.get({ id: template.id }),
      () => outsider.caller.relationshipTemplates.delete({ templateId: template.id }),
      () => outsider.caller.relationshipTemplates.createToken({ templateId: template.id }),
    ]) {
      expect(await rejection(call())).toMatchObject({ code: "NOT_FOUND", domain: "error.runtime.recordNotFound" });
    }
    expect(await outsider.caller.relationships.list()).toEqual({ items: [], nextCursor: null });
    expect(await outsider.caller.relationshipTemplates.list()).toEqual({ items: [], nextCursor: null });
    expect((await a.caller.relationships.get({ id: relationship.id })).status).toBe("Pending");
  });

  it("a role without the relationship actions is FORBIDDEN, the action named", async () => {
    const a = await newAccount(env.core, "A");
    const role = await a.caller.access.roles.create({ name: "reader", statement: { effect: "allow", actions: ["get_relationships"] } });
    const user = await a.caller.access.users.create({ role: role.id });
    const { secret } = await env.core.admin.issueSecret({ account: a.account.id, user: user.id });
    const reader = await callerFor(env.core, secret);
    expect(await reader.relationships.list()).toEqual({ items: [], nextCursor: null });
    const denied = await rejection(reader.relationshipTemplates.create({ expiresAt: inMinutes(1), content: ARBITRARY }));
    expect(denied).toMatchObject({ code: "FORBIDDEN", domain: "access.actionNotPermitted" });
    expect(denied.message).toContain("create_relationship_template");
    expect((await rejection(reader.relationships.decompose({ relationshipId: "RELxxxxxxxxxxxxxxxxx" }))).code).toBe("FORBIDDEN");
  });

  it("validates tRPC input with the same messages as the Connector", async () => {
    const a = await newAccount(env.core, "A");
    expect(await rejection(a.caller.relationships.get({ id: "x" }))).toMatchObject({
      code: "BAD_REQUEST",
      domain: "error.runtime.validation.invalidPropertyValue",
      message: "id must match pattern REL[A-Za-z0-9]{17}",
    });
    expect((await rejection(a.caller.relationships.list({ query: { foo: "x" } }))).message).toBe("query must NOT have additional properties");
    expect((await rejection(a.caller.relationshipTemplates.load({ reference: "x" }))).message).toBe("token / relationship template reference invalid");
    expect((await rejection(a.caller.relationshipTemplates.list({ ownerRestriction: "x" as "o" }))).code).toBe("BAD_REQUEST");
  });
});
