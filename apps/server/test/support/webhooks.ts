import type { DomainEvent } from "@idhub/core";
import { createClient } from "@idhub/sdk";
import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import type { Received } from "./receiver.js";
import type { TestServer } from "./server.js";

/** Short timings so retries, leases and disabling happen within seconds (production: 1 s … 1 h, 30 s, 24 h). */
export const FAST_WEBHOOKS = {
  IDHUB_WEBHOOKS_ALLOW_PRIVATE: "true",
  IDHUB_WEBHOOKS_POLL_MS: "50",
  IDHUB_WEBHOOKS_BACKOFF_MIN_MS: "100",
  IDHUB_WEBHOOKS_BACKOFF_MAX_MS: "800",
  IDHUB_WEBHOOKS_LEASE_MS: "2000",
};

export const sdk = (url: string, apiKey: string) => createClient({ url, apiKey, batch: false });

/** The account's events after `after`, oldest first, read from the events table. */
export async function eventsOf(server: Pick<TestServer, "database">, account: string, after = 0): Promise<DomainEvent[]> {
  const all: DomainEvent[] = [];
  for (;;) {
    const page = await server.database.store.read.events.list(account, after, 500);
    all.push(...page);
    if (page.length < 500) return all;
    after = page[page.length - 1]!.seq;
  }
}

/** Every request carries a valid Standard Webhooks signature for `secret` (checked with the npm package). */
export function expectSigned(received: Received[], secret: string): void {
  const verifier = new Webhook(secret);
  for (const r of received) {
    const payload = verifier.verify(r.body, { "webhook-id": r.id, "webhook-timestamp": r.timestamp, "webhook-signature": r.signature });
    expect(payload).toEqual(r.json);
  }
}
