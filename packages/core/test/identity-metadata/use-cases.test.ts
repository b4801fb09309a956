import { describe, expect, it } from "vitest";
import {
  type IdentityMetadataRecord,
  type NewEvent,
  type Principal,
  type Repositories,
  type Store,
} from "../../src/index.js";
import { systemIds } from "../../src/shared/ids.js";
import { createTestCore } from "../../src/testing.js";

// The identity-metadata use cases against an in-memory store that records what was asked of it:
// the order of checks, the familiarity probe inside the write transaction, and what reaches storage.

const OWN = "did:e:localhost:dids:00000000000000000000aa";
const PEER = "did:e:localhost:dids:00000000000000000000bb";
const STRANGER = "did:e:localhost:dids:00000000000000000000cc";

function harness() {
  const calls: string[] = [];
  const rows = new Map<string, IdentityMetadataRecord>();
  const events: NewEvent[] = [];
  const k = (owner: string, reference: string, key: string | undefined) => JSON.stringify([owner, reference, key ?? null, key === undefined]);
  const repos = {
    relationships: {
      hasPeer: async (_account: string, address: string) => {
        calls.push(`hasPeer ${address}`);
        return address === PEER;
      },
    },
    identityMetadata: {
      upsert: async (row: { id: string; owner: string; reference: string; key?: string; valueJson: string; at: number }) => {
        calls.push("upsert");
        const current = rows.get(k(row.owner, row.reference, row.key));
        const next: IdentityMetadataRecord = {
          id: current?.id ?? row.id,
          owner: row.owner,
          reference: row.reference,
          ...(row.key !== undefined ? { key: row.key } : {}),
          value: JSON.parse(row.valueJson),
          version: (current?.version ?? 0) + 1,
          createdAt: current?.createdAt ?? row.at,
          updatedAt: row.at,
        };
        rows.set(k(row.owner, row.reference, row.key), next);
        return { id: next.id, version: next.version, createdAt: next.createdAt };
      },
      countOwned: async (owner: string) => {
        calls.push("countOwned");
        return [...rows.values()].filter((r) => r.owner === owner).length;
      },
      get: async (owner: string, reference: string, key: string | undefined) => rows.get(k(owner, reference, key)),
      delete: async (owner: string, reference: string, key: string | undefined) => {
        const row = rows.get(k(owner, reference, key));
        rows.delete(k(owner, reference, key));
        return row;
      },
    },
    events: { append: async (e: NewEvent[]) => void events.push(...e) },
  } as unknown as Repositories;
  let inTransaction = false;
  const store: Store = {
    read: repos,
    async transaction(work) {
      calls.push("begin");
      inTransaction = true;
      try {
        return await work(repos);
      } finally {
        inTransaction = false;
        calls.push("end");
      }
    },
    ping: async () => true,
  };
  const clock = { now: () => 1_000 };
  const { core } = createTestCore(store, { clock, ids: { ...systemIds, uuid: () => "u", orderedUuid: () => "u" } });
  const principal: Principal = {
    account: "acc",
    address: OWN,
    user: "usr",
    role: "rol",
    statement: { effect: "deny", actions: null },
    rules: { twinRule: null, entryRule: null, identityRule: null },
    userDescription: null,
    dict: {},
  };
  return { core, principal, calls, rows, events, inTransaction: () => inTransaction };
}

describe("identity metadata use cases", () => {
  it("upsert about the own address needs no familiarity probe; one transaction, one upsert, one event", async () => {
    const h = harness();
    expect(await h.core.identityMetadata.upsert(h.principal, { reference: OWN, value: [1] })).toEqual({
      reference: OWN,
      value: [1],
      version: 1,
      createdAt: 1_000,
      updatedAt: 1_000,
    });
    // A new record is counted against the quota; an update is not.
    expect(h.calls).toEqual(["begin", "upsert", "countOwned", "end"]);
    expect(h.events).toMatchObject([{ account: "acc", type: "identityMetadata.upserted", actor: "usr", data: { reference: OWN, version: 1 } }]);
    await h.core.identityMetadata.upsert(h.principal, { reference: OWN, value: [2] });
    expect(h.calls.slice(4)).toEqual(["begin", "upsert", "end"]);
  });

  it("upsert about a peer probes familiarity inside the transaction, before writing", async () => {
    const h = harness();
    await h.core.identityMetadata.upsert(h.principal, { reference: PEER, key: "", value: null });
    expect(h.calls).toEqual(["begin", `hasPeer ${PEER}`, "upsert", "countOwned", "end"]);
    expect([...h.rows.values()][0]).toMatchObject({ key: "", value: null });
  });

  it("an unfamiliar reference writes nothing", async () => {
    const h = harness();
    await expect(h.core.identityMetadata.upsert(h.principal, { reference: STRANGER, value: 1 })).rejects.toMatchObject({
      kind: "INVALID",
      code: "error.runtime.identityMetadata.unfamiliarReferencedIdentity",
    });
    expect(h.calls).toEqual(["begin", `hasPeer ${STRANGER}`, "end"]);
    expect(h.events).toEqual([]);
  });

  it("validation comes before any storage access, permission before validation", async () => {
    const h = harness();
    await expect(h.core.identityMetadata.upsert(h.principal, { reference: OWN } as never)).rejects.toMatchObject({
      code: "error.runtime.validation.invalidPropertyValue",
      message: "must have required property 'value'",
    });
    const limited = { ...h.principal, statement: { effect: "allow" as const, actions: [] } };
    await expect(h.core.identityMetadata.upsert(limited, {} as never)).rejects.toMatchObject({ kind: "FORBIDDEN" });
    expect(h.calls).toEqual([]);
  });

  it("get and delete have no familiarity check; missing is NOT_FOUND with upstream's code", async () => {
    const h = harness();
    await expect(h.core.identityMetadata.get(h.principal, { reference: STRANGER })).rejects.toMatchObject({
      kind: "NOT_FOUND",
      code: "error.runtime.identityMetadata.notFound",
      message: "There is no stored IdentityMetadata for the specified combination of reference and key.",
    });
    await expect(h.core.identityMetadata.delete(h.principal, { reference: STRANGER })).rejects.toMatchObject({ kind: "NOT_FOUND" });
    expect(h.calls.filter((c) => c.startsWith("hasPeer"))).toEqual([]);
  });

  it("a value over 1 MB serialized is TOO_LARGE; a non-JSON value is invalid", async () => {
    const h = harness();
    await expect(h.core.identityMetadata.upsert(h.principal, { reference: OWN, value: "é".repeat(600_000) })).rejects.toMatchObject({
      kind: "TOO_LARGE",
    });
    await expect(h.core.identityMetadata.upsert(h.principal, { reference: OWN, value: () => 1 })).rejects.toMatchObject({
      message: "value must be a JSON value",
    });
    expect(h.calls).toEqual([]);
  });
});
