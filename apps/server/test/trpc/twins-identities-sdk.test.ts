import type { CreatedAccount, IdentityList, ResolveResult, Twin, TwinIdentity } from "@idhub/core";
import { createClient, errorCode, type IdhubClient } from "@idhub/sdk";
import { testDialects } from "@idhub/db/testing";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { withServer } from "../support/server.js";

// The same twins and identities over the typed SDK (tRPC over real HTTP, batched and not):
// the tRPC surface of this issue, next to the Trusted Twin REST suites of the same domain.
describe.each(testDialects)("twins and identities through @idhub/sdk (%s)", (dialect) => {
  const fx = withServer(dialect, { a: "A", b: "B" });
  let clientA: IdhubClient;
  let clientB: IdhubClient;
  beforeAll(async () => {
    clientA = createClient({ url: fx.server.url, apiKey: fx.a.secret });
    clientB = createClient({ url: fx.server.url, apiKey: fx.b.secret, batch: false });
  });

  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return errorCode(error);
    }
    throw new Error("expected a failure");
  };

  it("is typed end to end: inputs, outputs, and what does not exist", async () => {
    const twin = await clientA.twins.create.mutate({ description: { kind: "pallet" } });
    expectTypeOf(twin).toEqualTypeOf<Twin>();
    const created = await clientA.identities.create.mutate({ twin: twin.id, identities: [{ name: "RFID#sdk", visibility: "true" }] });
    expectTypeOf(created.created).toEqualTypeOf<TwinIdentity[]>();
    expectTypeOf(await clientA.identities.list.query({ twin: twin.id })).toEqualTypeOf<IdentityList>();
    expectTypeOf(await clientA.identities.resolve.query({ name: "RFID#sdk" })).toEqualTypeOf<ResolveResult>();
    // Never called: these lines only have to fail type-checking.
    const _mistakes = () => [
      // @ts-expect-error procedures that do not exist do not type-check
      clientA.identities.upsert,
      // @ts-expect-error a twin id is a string
      clientA.twins.get.query({ id: 42 }),
      // @ts-expect-error expectedVersion is a number
      clientA.identities.update.mutate({ twin: twin.id, name: "RFID#sdk", expectedVersion: "1" }),
    ];
    void _mistakes;
  });

  it("creates, patches with expectedVersion, resolves across accounts and deletes", async () => {
    const twin = await clientA.twins.create.mutate({});
    const ref = { twin: twin.id, name: "RFID#flow" };
    await clientA.identities.create.mutate({ twin: twin.id, identities: [{ name: ref.name }] });
    // Batched: these three travel in one HTTP request.
    const [got, missing, resolvedByB] = await Promise.allSettled([
      clientA.identities.get.query(ref),
      clientA.identities.get.query({ ...ref, name: "RFID#none" }),
      clientB.identities.resolve.query({ name: ref.name, context: "system" }),
    ]);
    expect(got.status === "fulfilled" && got.value.version).toBe(1);
    expect(missing.status === "rejected" && errorCode(missing.reason)).toBe("identity.notFound");
    expect(resolvedByB.status === "fulfilled" && resolvedByB.value).toEqual({ twins: [], nextCursor: null });

    const patched = await clientA.identities.update.mutate({ ...ref, visibility: "true", expectedVersion: 1 });
    expect(patched).toMatchObject({ visibility: "true", version: 2 });
    expect(await failure(clientA.identities.update.mutate({ ...ref, visibility: null, expectedVersion: 1 }))).toBe("version.mismatch");
    expect(await clientB.identities.resolve.query({ name: ref.name, context: "system", details: true })).toEqual({
      twins: [twin.id],
      details: [twin],
      nextCursor: null,
    });
    expect(await failure(clientB.identities.delete.mutate(ref))).toBe("identity.notFound");
    expect((await clientA.identities.delete.mutate({ ...ref, expectedVersion: 2 })).name).toBe(ref.name);
    expect(await failure(clientA.twins.terminate.mutate({ id: twin.id, expectedVersion: 5 }))).toBe("version.mismatch");
    expect((await clientA.twins.terminate.mutate({ id: twin.id })).status).toBe("terminated");
    expect(await failure(clientA.twins.terminate.mutate({ id: twin.id }))).toBe("twin.alreadyTerminated");
  });

  it("lists the caller's own twins page by page", async () => {
    const c = await fx.server.createAccount("C");
    const client = createClient({ url: fx.server.url, apiKey: c.secret });
    const ids = [];
    for (let n = 0; n < 5; n++) ids.push((await client.twins.create.mutate({ description: { n } })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof client.twins.list.query>> = await client.twins.list.query({ limit: 2, cursor });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });
});
