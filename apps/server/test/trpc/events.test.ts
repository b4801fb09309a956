import { testDialects } from "@idhub/db/testing";
import { createClient, errorCode } from "@idhub/sdk";
import { describe, expect, it } from "vitest";
import { runUntilSignal } from "../../src/run.js";
import { userWithStatement } from "../support/accounts.js";
import { collectFeed, listAll } from "../support/feed.js";
import { startTestServer, withServer } from "../support/server.js";

describe.each(testDialects)("events.list and events.subscribe over HTTP (%s)", (dialect) => {
  const fx = withServer(dialect);

  it("lists the caller's events in seq order, pages with next, and filters by type", async () => {
    const a = await fx.server.createAccount("A");
    const client = createClient({ url: fx.server.url, apiKey: a.secret });
    const twins = [];
    for (let i = 0; i < 5; i++) twins.push(await client.twins.create.mutate({}));
    await client.twins.update.mutate({ id: twins[0]!.id, description: { n: 1 } });

    const all = await listAll(client);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((x, y) => x - y));
    expect(all.slice(0, 3).map((e) => e.type)).toEqual(["account.created", "role.created", "user.created"]);
    expect(all.filter((e) => e.type === "twin.created").map((e) => e.subject)).toEqual(twins.map((t) => t.id));

    const first = await client.events.list.query({ limit: 2 });
    expect(first.items.map((e) => e.seq)).toEqual(all.slice(0, 2).map((e) => e.seq));
    expect(first.next).toBe(all[1]!.seq);
    const second = await client.events.list.query({ after: first.next, limit: 2 });
    expect(second.items.map((e) => e.seq)).toEqual(all.slice(2, 4).map((e) => e.seq));
    const end = await client.events.list.query({ after: all.at(-1)!.seq });
    expect(end).toEqual({ items: [], next: all.at(-1)!.seq });

    const twinEvents = await client.events.list.query({ types: ["twin.*"] });
    expect(twinEvents.items.map((e) => e.type)).toEqual([...Array(5).fill("twin.created"), "twin.updated"]);
    const exact = await client.events.list.query({ types: ["twin.updated", "user.created"] });
    expect(exact.items.map((e) => e.type)).toEqual(["user.created", "twin.updated"]);
    expect(exact.items[1]).toMatchObject({ subject: twins[0]!.id, actor: a.user.id, data: { version: 2 } });
    expect(typeof exact.items[1]!.at).toBe("number");
  });

  it("rejects bad input with INVALID and changes nothing", async () => {
    const a = await fx.server.createAccount();
    const client = createClient({ url: fx.server.url, apiKey: a.secret });
    for (const input of [{ limit: 0 }, { limit: 501 }, { after: -1 }, { after: 1.5 }, { types: ["twin*"] }, { extra: 1 }]) {
      const failure = await client.events.list.query(input as never).catch((e: unknown) => e);
      expect(errorCode(failure), JSON.stringify(input)).toBe("validation.invalidInput");
    }
  });

  it("replays then follows live; B never sees A's events", async () => {
    const [a, b] = [await fx.server.createAccount("A"), await fx.server.createAccount("B")];
    const ca = createClient({ url: fx.server.url, apiKey: a.secret });
    const cb = createClient({ url: fx.server.url, apiKey: b.secret });
    await ca.twins.create.mutate({});
    const feedA = collectFeed(ca, { after: 0 });
    const feedB = collectFeed(cb, { after: 0 });
    await feedA.until((items) => items.some((e) => e.type === "twin.created"));
    const live = await ca.twins.create.mutate({});
    await cb.twins.create.mutate({});
    await feedA.until((items) => items.some((e) => e.subject === live.id));
    await feedB.until((items) => items.some((e) => e.type === "twin.created"));
    expect(feedA.items).toEqual(await listAll(ca));
    expect(feedB.items).toEqual(await listAll(cb));
    const seqsA = new Set(feedA.items.map((e) => e.seq));
    expect(feedB.items.some((e) => seqsA.has(e.seq))).toBe(false);
    feedA.stop();
    feedB.stop();
  });

  it("subscribes with a type filter", async () => {
    const a = await fx.server.createAccount();
    const client = createClient({ url: fx.server.url, apiKey: a.secret });
    const feed = collectFeed(client, { types: ["twin.updated"] });
    const twin = await client.twins.create.mutate({});
    await client.twins.update.mutate({ id: twin.id, description: { x: 1 } });
    await feed.until((items) => items.length === 1);
    expect(feed.items.map((e) => e.type)).toEqual(["twin.updated"]);
    feed.stop();
  });

  it("refuses a role without get_events on list and subscribe (403 FORBIDDEN)", async () => {
    const a = await fx.server.createAccount();
    const limited = await userWithStatement(fx.server.http, a.secret, { effect: "allow", actions: ["create_twin", "get_log"] });
    const client = createClient({ url: fx.server.url, apiKey: limited.secret });
    const listed = await client.events.list.query({}).catch((e: unknown) => e);
    expect(errorCode(listed)).toBe("access.actionNotPermitted");
    const feed = collectFeed(client);
    await expect(feed.until(() => false)).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
    feed.stop();
  });
});

describe("shutdown with open subscriptions", () => {
  it("ends every stream with a retryable error at once, instead of holding the shutdown for its grace period", async () => {
    const server = await startTestServer();
    const a = await server.createAccount();
    const response = await fetch(`${server.url}/trpc/events.subscribe?input=${encodeURIComponent("{}")}`, { headers: { authorization: a.secret } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("event: connected")) text += (await reader.read()).value ?? "";

    const started = performance.now();
    const stopped = runUntilSignal(server, ["SIGUSR2"]);
    process.emit("SIGUSR2", "SIGUSR2");
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    expect(await stopped).toBe("SIGUSR2");
    expect(performance.now() - started).toBeLessThan(1_500); // the test server's grace is 2 s
    expect(text).toMatch(/event: serialized-error\ndata: .*shutting down.*"code":"SERVICE_UNAVAILABLE"/);
    await server.stop();
  });
});
