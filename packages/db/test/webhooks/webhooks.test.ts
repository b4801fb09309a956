import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { testDialects } from "../../src/testing.js";
import { anAccount, anEvent } from "../fixtures.js";
import { freshDatabase } from "../database-fixture.js";

// The webhook outbox rows: positioned at the newest event, due only with events pending, and a
// lease that exactly one of many racing claimers gets, fencing every later write.

describe.each(testDialects)("webhook repository (%s)", (dialect) => {
  const fx = freshDatabase(dialect);

  const repos = () => fx.database.store.read;
  async function webhookWithPending() {
    const account = anAccount();
    await repos().accounts.insert(account);
    await repos().events.append([anEvent(account.id), anEvent(account.id)]);
    const webhook = await repos().webhooks.create({
      id: randomUUID(), account: account.id, url: "https://hooks.example.com/", types: null, description: null,
      enabled: true, secretGeneration: 1, createdAt: 1, updatedAt: 1,
    });
    return { account: account.id, webhook };
  }

  it("starts at the account's newest event and is due only once more events follow", async () => {
    const { account, webhook } = await webhookWithPending();
    const newest = (await repos().events.list(account, 0, 10)).at(-1)!.seq;
    expect(webhook.position).toBe(newest);
    expect(await repos().webhooks.due(Date.now(), 10)).toEqual([]);
    await repos().events.append([anEvent(account)]);
    expect((await repos().webhooks.due(Date.now(), 10)).map((w) => w.id)).toEqual([webhook.id]);
  });

  it("gives the lease to exactly one of 8 racing claimers, fences the others, and lets it expire", async () => {
    const { account, webhook } = await webhookWithPending();
    await repos().events.append([anEvent(account)]);
    const now = Date.now();
    const owners = Array.from({ length: 8 }, () => randomUUID());
    const results = await Promise.all(owners.map((o) => repos().webhooks.acquire(webhook.id, o, now, now + 1_000)));
    const winners = owners.filter((_, i) => results[i] !== undefined);
    expect(winners).toHaveLength(1);
    const loser = owners.find((o) => o !== winners[0])!;
    expect(await repos().webhooks.updateLeased(webhook.id, loser, { position: 99 })).toBe(false);
    expect(await repos().webhooks.updateLeased(webhook.id, winners[0]!, { partial: 1 })).toBe(true);
    expect(await repos().webhooks.due(now, 10)).toEqual([]); // leased: not due for anyone
    // The holder dies; after its lease ends another process takes over, and the old holder is fenced.
    const later = now + 1_001;
    expect((await repos().webhooks.due(later, 10)).map((w) => w.id)).toEqual([webhook.id]);
    expect(await repos().webhooks.acquire(webhook.id, loser, later, later + 1_000)).toMatchObject({ leaseOwner: loser, partial: 1 });
    expect(await repos().webhooks.updateLeased(webhook.id, winners[0]!, { position: 99 })).toBe(false);
    expect((await repos().webhooks.find(webhook.id))!.position).toBe(webhook.position);
  });

  it("keeps delivery attempts per webhook, newest first, and forgets them with the webhook", async () => {
    const { account, webhook } = await webhookWithPending();
    for (let i = 0; i < 3; i++) {
      await repos().webhooks.recordDelivery({ webhook: webhook.id, seq: i, messageId: `m${i}`, trigger: "t", outcome: "failed", httpStatus: 500, durationMs: 3, error: "HTTP 500", at: i });
    }
    const page = await repos().webhooks.listDeliveries(webhook.id, undefined, 2);
    expect(page.map((d) => d.messageId)).toEqual(["m2", "m1"]);
    expect((await repos().webhooks.listDeliveries(webhook.id, page[1]!.id, 10)).map((d) => d.messageId)).toEqual(["m0"]);
    expect(await repos().webhooks.pruneDeliveries(1)).toBe(1);
    expect(await repos().webhooks.delete(account, webhook.id)).toBe(true);
    expect(await repos().webhooks.listDeliveries(webhook.id, undefined, 10)).toEqual([]);
  });
});
