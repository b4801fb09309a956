import { readFileSync } from "node:fs";
import type { LookupFunction } from "node:net";
import AjvModule from "ajv";
import { testDialects } from "@idhub/db/testing";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { accepted, startReceiver, type Receiver } from "../support/receiver.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { eventsOf, expectSigned, FAST_WEBHOOKS, sdk } from "../support/webhooks.js";

// Webhook delivery end to end: a real server, real HTTP receivers on 127.0.0.1, Standard Webhooks
// signatures checked with the `standardwebhooks` package. Timings are shrunk (FAST_WEBHOOKS) so
// the suite takes seconds.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDialects)("webhook delivery (%s)", (dialect) => {
  let server: TestServer;
  const receivers: Receiver[] = [];
  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  };
  afterEach(async () => {
    await server?.stop();
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  async function tenant(name: string) {
    const created = await server.createAccount(name);
    return { ...created, client: sdk(server.url, created.secret) };
  }

  it("delivers every event of a 4-writer workload exactly once, in seq order, signed", async () => {
    server = await startTestServer(dialect, FAST_WEBHOOKS);
    const a = await tenant("A");
    const hook = await receiver();
    const { webhook, secret } = await a.client.webhooks.create.mutate({ url: hook.url });
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 25; i++) await a.client.twins.create.mutate({ description: { w, i } });
    });
    await Promise.all(writers);
    const expected = (await eventsOf(server, a.account.id, webhook.delivery.position)).map((e) => e.id);
    expect(expected).toHaveLength(100);

    await hook.until((r) => r.length >= expected.length);
    await sleep(300); // anything extra (a duplicate) would arrive now
    expect(hook.received.map((r) => r.id)).toEqual(expected); // exactly once, in order
    expect(hook.received.every((r) => r.json.trigger === "twin.created")).toBe(true);
    const seqs = hook.received.map((r) => r.json.data.seq as number);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expectSigned(hook.received, secret);
    expect(() => new Webhook(Buffer.alloc(32, 1).toString("base64")).verify(hook.received[0]!.body, {
      "webhook-id": hook.received[0]!.id,
      "webhook-timestamp": hook.received[0]!.timestamp,
      "webhook-signature": hook.received[0]!.signature,
    })).toThrow();

    const { deliveries } = await a.client.webhooks.deliveries.query({ webhook: webhook.id, limit: 100 });
    expect(deliveries).toHaveLength(100);
    expect(deliveries.every((d) => d.outcome === "delivered" && d.httpStatus === 204)).toBe(true);
    expect((await a.client.webhooks.get.query({ id: webhook.id })).delivery.position).toBe(seqs[seqs.length - 1]);
  });

  it("retries a receiver answering 500 for 5 s, then delivers everything; only the failed ids repeat", async () => {
    server = await startTestServer(dialect, FAST_WEBHOOKS);
    const a = await tenant("A");
    const healthyFrom = Date.now() + 5_000;
    const hook = await receiver(() => ({ status: Date.now() < healthyFrom ? 500 : 200 }));
    const { webhook, secret } = await a.client.webhooks.create.mutate({ url: hook.url });
    for (let i = 0; i < 20; i++) await a.client.twins.create.mutate({});
    const expected = (await eventsOf(server, a.account.id, webhook.delivery.position)).map((e) => e.id);

    await hook.until((r) => accepted(r).length >= expected.length, 15_000);
    expect(accepted(hook.received).map((r) => r.id)).toEqual(expected);
    const failedIds = new Set(hook.received.filter((r) => r.status === 500).map((r) => r.id));
    expect(failedIds.size).toBeGreaterThan(0);
    // Dedup by webhook-id: every repeat is of an id that had failed before.
    const seen = new Set<string>();
    for (const r of hook.received) {
      if (seen.has(r.id)) expect(failedIds.has(r.id)).toBe(true);
      seen.add(r.id);
    }
    expect([...seen]).toEqual(expected);
    console.info(`webhooks (${dialect}): 500 for 5 s → ${failedIds.size} ids repeated, ${hook.received.length - expected.length} extra requests, all ${expected.length} delivered`);
    expectSigned(hook.received, secret);
    // Backed off, not hammered: 5 s at 100 ms doubling to 800 ms is a dozen attempts, not hundreds.
    expect(hook.received.filter((r) => r.status === 500).length).toBeLessThan(30);
    const { deliveries } = await a.client.webhooks.deliveries.query({ webhook: webhook.id, limit: 100 });
    expect(deliveries.some((d) => d.outcome === "failed" && d.httpStatus === 500 && d.error === "HTTP 500")).toBe(true);
  });

  it("a slow receiver (10 s per request) of account A delays account B's healthy receiver by less than 1 s", async () => {
    server = await startTestServer(dialect, { ...FAST_WEBHOOKS, IDHUB_WEBHOOKS_TIMEOUT_MS: "10000" });
    const a = await tenant("A");
    const b = await tenant("B");
    const slow = await receiver(() => ({ status: 200, delayMs: 10_000 }));
    const healthy = await receiver();
    await a.client.webhooks.create.mutate({ url: slow.url });
    await b.client.webhooks.create.mutate({ url: healthy.url });
    for (let i = 0; i < 3; i++) await a.client.twins.create.mutate({}); // A's worker now waits on the slow receiver
    await sleep(200);

    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = healthy.received.length;
      const writtenAt = Date.now();
      await b.client.twins.create.mutate({});
      await healthy.until((r) => r.length > before, 5_000);
      latencies.push(healthy.received[before]!.at - writtenAt);
    }
    expect(slow.received).toHaveLength(0); // still stuck on the first request
    console.info(`webhooks (${dialect}): healthy receiver latency next to a 10 s receiver, max ${Math.max(...latencies)} ms over ${latencies.length} events`);
    expect(Math.max(...latencies)).toBeLessThan(1_000);
  });

  it("the Connector trigger carries the relationship exactly as the receiving account sees it on /api/core/v1", async () => {
    server = await startTestServer(dialect, FAST_WEBHOOKS);
    const a = await tenant("A");
    const b = await tenant("B");
    const hookA = await receiver();
    const hookB = await receiver();
    await a.client.webhooks.create.mutate({ url: hookA.url, types: ["transport.relationshipChanged"] });
    const { secret: secretB } = await b.client.webhooks.create.mutate({ url: hookB.url, types: ["transport.relationshipChanged", "relationship.*"] });
    const P = "/api/core/v1";
    const as = (key: string) => (method: string, path: string, body?: unknown) =>
      server.http(method, P + path, { body, headers: { "X-API-KEY": key } });
    const template = await as(a.secret)("POST", "/RelationshipTemplates/Own", {
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      content: { "@type": "ArbitraryRelationshipTemplateContent", value: {} },
    });
    expect(template.status).toBe(201);
    expect((await as(b.secret)("POST", "/RelationshipTemplates/Peer", { reference: template.body.result.reference.truncated })).status).toBe(201);
    const created = await as(b.secret)("POST", "/Relationships", {
      templateId: template.body.result.id,
      creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} },
    });
    expect(created.status).toBe(201);
    const id = created.body.result.id as string;
    expect((await as(a.secret)("PUT", `/Relationships/${id}/Accept`)).status).toBe(200);

    // B (the requester) learns that the peer accepted: the relationship as B's own GET shows it.
    await hookB.until((r) => r.some((m) => m.json.trigger === "transport.relationshipChanged" && m.json.data.status === "Active"));
    const asB = (await as(b.secret)("GET", `/Relationships/${id}`)).body.result;
    const changed = hookB.received.filter((m) => m.json.trigger === "transport.relationshipChanged");
    const active = changed.find((m) => m.json.data.status === "Active")!;
    expect(active.json.data).toEqual(asB);
    expectConnectorRelationship(active.json.data);
    expect(active.json.data.peer).toBe((await as(a.secret)("GET", "/Account/IdentityInfo")).body.result.address);
    // The idhub event comes first, the Connector one after it, each with its own stable id.
    const statusEvent = hookB.received.find((m) => m.json.trigger === "relationship.statusChanged")!;
    expect(active.id).toBe(`${statusEvent.id}.connector`);
    expect(hookB.received.indexOf(statusEvent)).toBeLessThan(hookB.received.indexOf(active));
    expectSigned(hookB.received, secretB);

    // A's webhook only wants the Connector trigger, rendered for A (peer = B).
    await hookA.until((r) => r.some((m) => m.json.data.status === "Active"));
    expect(hookA.received.every((m) => m.json.trigger === "transport.relationshipChanged")).toBe(true);
    for (const m of hookA.received) expectConnectorRelationship(m.json.data);
    expect(hookA.received.at(-1)!.json.data).toEqual((await as(a.secret)("GET", `/Relationships/${id}`)).body.result);
  });

  it("refuses, at delivery time, a hostname that resolves to a private address", async () => {
    const hook = await receiver();
    // Without IDHUB_WEBHOOKS_ALLOW_PRIVATE; the name is public-looking, its DNS answer is not.
    const resolve: LookupFunction = (hostname, options, callback) => {
      if (hostname !== "hooks.rebound.example") return callback(new Error(`unexpected lookup ${hostname}`), "", 0);
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: "127.0.0.1", family: 4 }]);
    };
    server = await startTestServer(dialect, { ...FAST_WEBHOOKS, IDHUB_WEBHOOKS_ALLOW_PRIVATE: "false" }, { webhooks: { resolve } });
    const a = await tenant("A");
    const { webhook } = await a.client.webhooks.create.mutate({ url: `https://hooks.rebound.example:${hook.port}/hook` });
    await a.client.twins.create.mutate({});
    let deliveries: Awaited<ReturnType<typeof a.client.webhooks.deliveries.query>>["deliveries"] = [];
    for (let i = 0; i < 100 && deliveries.length === 0; i++) {
      await sleep(50);
      deliveries = (await a.client.webhooks.deliveries.query({ webhook: webhook.id })).deliveries;
    }
    expect(deliveries[0]).toMatchObject({ outcome: "failed", httpStatus: null });
    expect(deliveries[0]!.error).toMatch(/resolves to 127\.0\.0\.1, which is not a public address/);
    expect(hook.received).toHaveLength(0);
  });

  it("disables a webhook after failing for the configured time, says so in an event, and resumes when re-enabled", async () => {
    server = await startTestServer(dialect, { ...FAST_WEBHOOKS, IDHUB_WEBHOOKS_DISABLE_AFTER_MS: "1000" });
    const a = await tenant("A");
    let healthy = false;
    const hook = await receiver(() => ({ status: healthy ? 200 : 503 }));
    const { webhook } = await a.client.webhooks.create.mutate({ url: hook.url });
    await a.client.twins.create.mutate({});
    let state = await a.client.webhooks.get.query({ id: webhook.id });
    for (let i = 0; i < 100 && state.enabled; i++) {
      await sleep(50);
      state = await a.client.webhooks.get.query({ id: webhook.id });
    }
    expect(state.enabled).toBe(false);
    expect(state.disabledReason).toMatch(/Deliveries failed .*HTTP 503/);
    const disabled = (await eventsOf(server, a.account.id)).filter((e) => e.type === "webhook.disabled");
    expect(disabled).toHaveLength(1);
    expect(disabled[0]!.subject).toBe(webhook.id);

    healthy = true;
    await a.client.webhooks.update.mutate({ id: webhook.id, enabled: true });
    // The backlog, in order: the event that failed, the disabling, the re-enabling.
    await hook.until((r) => accepted(r).some((m) => m.json.trigger === "webhook.updated"));
    expect(accepted(hook.received).map((m) => m.json.trigger)).toEqual(["twin.created", "webhook.disabled", "webhook.updated"]);
    expect((await a.client.webhooks.get.query({ id: webhook.id })).disabledReason).toBeNull();
  });

  it("redelivers from a seq with the original webhook-ids, and signs with a rotated secret from then on", async () => {
    server = await startTestServer(dialect, FAST_WEBHOOKS);
    const a = await tenant("A");
    const hook = await receiver();
    const { webhook, secret } = await a.client.webhooks.create.mutate({ url: hook.url, types: ["twin.*"] });
    for (let i = 0; i < 3; i++) await a.client.twins.create.mutate({});
    await hook.until((r) => r.length === 3);
    const first = hook.received.map((r) => r.id);

    const rotated = await a.client.webhooks.rotateSecret.mutate({ id: webhook.id });
    expect(rotated.secret).not.toBe(secret);
    await a.client.webhooks.redeliver.mutate({ id: webhook.id, fromSeq: hook.received[1]!.json.data.seq });
    await hook.until((r) => r.length === 5);
    expect(hook.received.slice(3).map((r) => r.id)).toEqual(first.slice(1));
    expectSigned(hook.received.slice(3), rotated.secret);
    expect(() => expectSigned(hook.received.slice(3), secret)).toThrow();
  });
});

// The 7.x relationship DTO as /api/core/v1 documents it (the committed OpenAPI document), closed like the SDK's schemas.
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as new (o: object) => {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
};
const openapi = JSON.parse(readFileSync(new URL("../../openapi.json", import.meta.url), "utf8"));
const closed = (schema: any): any => {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== "object") return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  if (copy.type === "object" && copy.properties) copy.additionalProperties = false;
  return copy;
};
const validateRelationship = new Ajv({ strict: false, allErrors: true }).compile({
  ...closed(openapi.components.schemas.ConnectorRelationship),
  components: { schemas: closed(openapi.components.schemas) },
});
function expectConnectorRelationship(data: unknown): void {
  const ok = validateRelationship(data);
  expect(ok ? null : validateRelationship.errors).toBeNull();
  expect(Object.keys(data as object).sort()).toEqual(["auditLog", "creationContent", "id", "peer", "peerIdentity", "status", "templateId"]);
}
