import { testDialects } from "@idhub/db/testing";
import { describe, expect, it } from "vitest";
import { freshEnv, member, newAccount, rejection } from "../support.js";

// Webhook management over tRPC (createCaller): secrets shown once, permissions including the
// feed's own, no escalation, tenant isolation, and SSRF-unsafe URLs refused when stored.

describe.each(testDialects)("webhooks over tRPC (%s)", (dialect) => {
  const env = freshEnv(dialect);

  it("creates, lists, updates, rotates and deletes; the secret appears only in create and rotateSecret", async () => {
    const a = await newAccount(env.core, "A");
    const created = await a.caller.webhooks.create({ url: "https://hooks.example.com/in", types: ["twin.*"], description: "twins" });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await a.caller.webhooks.list();
    expect(listed.webhooks.map((w) => w.id)).toEqual([created.webhook.id]);
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(6));
    const updated = await a.caller.webhooks.update({ id: created.webhook.id, types: null, enabled: false });
    expect(updated).toMatchObject({ types: null, enabled: false, url: "https://hooks.example.com/in" });
    const rotated = await a.caller.webhooks.rotateSecret({ id: created.webhook.id });
    expect(rotated.secret).not.toBe(created.secret);
    expect((await a.caller.webhooks.deliveries({ webhook: created.webhook.id })).deliveries).toEqual([]);
    await a.caller.webhooks.delete({ id: created.webhook.id });
    expect((await rejection(a.caller.webhooks.get({ id: created.webhook.id }))).domain).toBe("webhook.notFound");
    const events = await env.database.store.read.events.list(a.account.id, 0, 100);
    expect(events.filter((e) => e.type.startsWith("webhook.")).map((e) => e.type)).toEqual([
      "webhook.created", "webhook.updated", "webhook.secretRotated", "webhook.deleted",
    ]);
    expect(JSON.stringify(events)).not.toContain(created.secret.slice(6));
  });

  it("refuses URLs that are not public https without IDHUB_WEBHOOKS_ALLOW_PRIVATE, changing nothing", async () => {
    const a = await newAccount(env.core, "A");
    for (const url of ["http://127.0.0.1:8080/hook", "https://127.0.0.1/hook", "http://169.254.169.254/", "https://169.254.169.254/latest", "https://[::1]/", "https://localhost/", "https://10.0.0.7/"]) {
      expect(await rejection(a.caller.webhooks.create({ url }))).toMatchObject({ code: "BAD_REQUEST", domain: "webhook.urlRefused" });
    }
    const { webhook } = await a.caller.webhooks.create({ url: "https://hooks.example.com/in" });
    expect((await rejection(a.caller.webhooks.update({ id: webhook.id, url: "https://192.168.0.1/" }))).domain).toBe("webhook.urlRefused");
    expect((await a.caller.webhooks.get({ id: webhook.id })).url).toBe("https://hooks.example.com/in");
    expect((await a.caller.webhooks.list()).webhooks).toHaveLength(1);
  });

  it("needs its actions and get_events, and no role can grant webhook actions it lacks", async () => {
    const a = await newAccount(env.core, "A");
    const reader = await member(env.core, a, { statement: { effect: "allow", actions: ["get_webhooks", "create_webhook", "create_user_role"] } });
    expect(await rejection(reader.caller.webhooks.create({ url: "https://hooks.example.com/in" }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await rejection(reader.caller.webhooks.create({ url: "https://hooks.example.com/in" }))).message).toContain("get_events");
    expect((await reader.caller.webhooks.list()).webhooks).toEqual([]);
    // no escalation: it cannot make a role with delete_webhook (or get_events) it does not have
    expect((await rejection(reader.caller.access.roles.create({ statement: { effect: "allow", actions: ["delete_webhook"] } }))).domain).toBe("access.privilegeEscalation");
    expect((await rejection(reader.caller.access.roles.create({ statement: { effect: "allow", actions: ["get_webhooks", "get_events"] } }))).domain).toBe("access.privilegeEscalation");
    const writer = await member(env.core, a, { statement: { effect: "allow", actions: ["create_webhook", "get_events"] } });
    const { webhook } = await writer.caller.webhooks.create({ url: "https://hooks.example.com/in" });
    expect(await rejection(writer.caller.webhooks.delete({ id: webhook.id }))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("answers another account's webhook as not found, and lists none of them", async () => {
    const a = await newAccount(env.core, "A");
    const b = await newAccount(env.core, "B");
    const { webhook } = await a.caller.webhooks.create({ url: "https://hooks.example.com/in" });
    const id = { id: webhook.id };
    for (const call of [
      () => b.caller.webhooks.get(id), () => b.caller.webhooks.update({ ...id, enabled: false }), () => b.caller.webhooks.delete(id),
      () => b.caller.webhooks.rotateSecret(id), () => b.caller.webhooks.redeliver(id), () => b.caller.webhooks.deliveries({ webhook: webhook.id }),
    ]) {
      expect(await rejection(call())).toMatchObject({ code: "NOT_FOUND", domain: "webhook.notFound" });
    }
    expect((await b.caller.webhooks.list()).webhooks).toEqual([]);
    expect((await a.caller.webhooks.get(id)).enabled).toBe(true);
  });

  it("rejects malformed input as BAD_REQUEST", async () => {
    const a = await newAccount(env.core, "A");
    for (const input of [{}, { url: 5 }, { url: "ftp://x.example/" }, { url: "https://x.example/", types: ["bad type"] }, { url: "https://x.example/", extra: 1 }]) {
      expect((await rejection(a.caller.webhooks.create(input as never))).code).toBe("BAD_REQUEST");
    }
    expect((await rejection(a.caller.webhooks.list({ cursor: "nope" }))).code).toBe("BAD_REQUEST");
  });
});
