import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../src/index.js";
import { createTestSchema, testDialects } from "../src/testing.js";
import { anAccount, anEvent } from "./fixtures.js";

// The change feed's wake-up (Database.feed): this process's commits, and commits by another
// "process" (a second Database on the same file or schema) — also when no notification arrives.

async function twoConnections(dialect: "sqlite" | "postgres"): Promise<{ one: Database; two: Database; drop(): Promise<void> }> {
  let url: string;
  let drop: () => Promise<void>;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "idhub-feed-signal-"));
    url = `file:${join(dir, "feed.sqlite")}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = await createTestSchema();
    url = schema.url;
    drop = schema.drop;
  }
  const one = await openDatabase(url, { feedCatchUpMs: 200 });
  await one.migrate();
  const two = await openDatabase(url);
  // The listener starts with the first watcher and, once up, wakes everyone once ("unknown"):
  // wait for that, so the tests see only the wake-ups they cause.
  expect(await nextWake(one)).toBeNull();
  return { one, two, drop: async () => (await one.close(), await two.close(), await drop()) };
}

/** Resolves with the accounts of the next wake-up of `database`'s watchAll. */
const nextWake = (database: Database, timeoutMs = 5_000) =>
  new Promise<readonly string[] | null>((resolve, reject) => {
    const timer = setTimeout(() => (stop(), reject(new Error("no wake-up"))), timeoutMs);
    const stop = database.feed.watchAll((accounts) => {
      clearTimeout(timer);
      stop();
      resolve(accounts);
    });
  });

describe.each(testDialects)("the feed signal (%s)", (dialect) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it("wakes an account's watchers after its events commit, never after a rollback, and not other accounts'", async () => {
    const { one, two, drop } = await twoConnections(dialect);
    cleanup = drop;
    const [a, b] = [anAccount(), anAccount()];
    await one.store.read.accounts.insert(a);
    await one.store.read.accounts.insert(b);
    const woken: string[] = [];
    one.feed.watch(a.id, () => woken.push("a"));
    one.feed.watch(b.id, () => woken.push("b"));

    await one.store.transaction((tx) => tx.events.append([anEvent(a.id)]));
    await expect.poll(() => woken).toContain("a");
    expect(woken).not.toContain("b");
    woken.length = 0;
    await one.store
      .transaction(async (tx) => {
        await tx.events.append([anEvent(b.id)]);
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(woken).not.toContain("b");

    // Another process's commit (through its own connection and repositories).
    await two.store.transaction((tx) => tx.events.append([anEvent(b.id)]));
    await expect.poll(() => woken, { timeout: 3_000 }).toContain("b");
  });

  it("catches a commit whose notification never came (a row written without the append's NOTIFY)", async () => {
    const { one, two, drop } = await twoConnections(dialect);
    cleanup = drop;
    const a = anAccount();
    await one.store.read.accounts.insert(a);
    let woken = 0;
    one.feed.watch(a.id, () => woken++);
    // The catch-up read's first look at the account wakes once; after that it is quiet.
    await new Promise((resolve) => setTimeout(resolve, 600));
    woken = 0;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(woken).toBe(0);
    const event = anEvent(a.id);
    await two.db
      .insertInto("events")
      .values({ id: event.id, account: a.id, type: event.type, subject: event.subject, actor: event.actor, at: event.at, data: "null" })
      .execute();
    await expect.poll(() => woken, { timeout: 3_000 }).toBeGreaterThan(0);
  });

  it("tells watchAll which accounts committed", async () => {
    const { one, drop } = await twoConnections(dialect);
    cleanup = drop;
    const a = anAccount();
    await one.store.read.accounts.insert(a);
    const woken = nextWake(one);
    await one.store.transaction((tx) => tx.events.append([anEvent(a.id), anEvent(a.id)]));
    expect(await woken).toEqual([a.id]);
  });
});
