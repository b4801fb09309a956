import { errorCode, type IdhubClient } from "@idhub/sdk";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One write, retried while the server cannot be reached (it may be restarting). A domain error
 * ends the attempt: after a lost answer the retry may find its own earlier write ("already
 * exists"), which is fine — the feed is compared with events.list, not with a count.
 */
async function write(call: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      await call();
      return;
    } catch (error) {
      if (errorCode(error) !== undefined) return;
      await sleep(50);
    }
  }
  throw new Error("server unreachable for 30 s");
}

export interface WriterAccounts {
  /** The account whose feed is followed. */
  a: IdhubClient;
  /** Its enmeshed address (identity metadata references it). */
  addressA: string;
  /** A peer that opens relationships with A (its own events must never show in A's feed). */
  b: IdhubClient;
}

/**
 * Four concurrent writers on A's feed — twins, identities, identity metadata, relationships — of
 * `rounds` writes each. `onRound(n)` after each round of the twin writer lets a test act mid-stream.
 */
export async function runFourWriters({ a, addressA, b }: WriterAccounts, rounds: number, onRound?: (n: number) => Promise<void>): Promise<void> {
  let twin: { id: string } | undefined;
  await write(async () => (twin = await a.twins.create.mutate({})));
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  await Promise.all([
    (async () => {
      for (let i = 0; i < rounds; i++) {
        let created: { id: string } | undefined;
        await write(async () => (created = await a.twins.create.mutate({ description: { round: i } })));
        if (created) await write(() => a.twins.update.mutate({ id: created!.id, description: { round: i, updated: true } }));
        await onRound?.(i);
      }
    })(),
    (async () => {
      for (let i = 0; i < rounds; i++) await write(() => a.identities.create.mutate({ twin: twin!.id, identities: [{ name: `RFID#w${i}` }] }));
    })(),
    (async () => {
      for (let i = 0; i < rounds; i++) await write(() => a.identityMetadata.upsert.mutate({ reference: addressA, key: `k${i % 5}`, value: { i } }));
    })(),
    (async () => {
      for (let i = 0; i < rounds; i++) {
        let template: { id: string; reference: { url: string } } | undefined;
        await write(async () => (template = await a.relationshipTemplates.create.mutate({ expiresAt, content: { "@type": "ArbitraryRelationshipTemplateContent", value: { i } } })));
        if (!template) continue;
        await write(() => b.relationshipTemplates.load.mutate({ reference: template!.reference.url }));
        let relationship: { id: string } | undefined;
        await write(async () => (relationship = await b.relationships.create.mutate({ templateId: template!.id, creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} } })));
        // Rejected, so the pair may open the next one (one open relationship per pair).
        if (relationship) await write(() => a.relationships.reject.mutate({ relationshipId: relationship!.id }));
      }
    })(),
  ]);
}
