import { testDialects } from "@idhub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, establish, failed, METADATA_NOT_FOUND, ok, pair as pairOf, randomAddress, startSdkWorld, UNFAMILIAR } from "../support/connector-sdk.js";
import type { TestServer } from "../support/server.js";

// The real @nmshd/connector-sdk 6.7.0 (prefix /api/v2, Connector 6.x DTOs) against a real idhub
// server over HTTP: two accounts, one API key each. Upstream's flows and test tables, ported: the
// "syncUntil…" waits become direct reads (one server holds both accounts).
// This file: IdentityMetadata.

describe.each(testDialects)("Connector SDK 6.7.0 against idhub (%s)", (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    ({ server } = await startSdkWorld(dialect));
  });
  afterAll(() => server.stop());
  const pair = () => pairOf(server);

  describe("IdentityMetadata (upstream runtime tests R1–R9, ported to the SDK)", () => {
    let own: string;
    let peer: string;
    let x: Client;
    beforeAll(async () => {
      const p = await pair();
      await establish(p.x, p.y);
      ({ x } = p);
      own = p.addressX;
      peer = p.addressY;
    });
    const clear = async () => {
      for (const reference of [own, peer]) for (const key of [undefined, "key"]) await x.identityMetadata.deleteIdentityMetadata(reference, key);
    };

    it("R1 upsert about the peer with a string value", async () => {
      await clear();
      const m = ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, value: "value" }), "ConnectorIdentityMetadata");
      expect(m.reference).toBe(peer);
      expect(m.key).toBeUndefined();
      expect("key" in m).toBe(false);
      expect(m.value).toBe("value");
    });

    it("R2 upsert a JSON object", async () => {
      await clear();
      const m = ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, value: { a: "json" } }), "ConnectorIdentityMetadata");
      expect(m.key).toBeUndefined();
      expect(m.value).toStrictEqual({ a: "json" });
    });

    it("R3 upsert with a key", async () => {
      await clear();
      const m = ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, key: "key", value: "value" }), "ConnectorIdentityMetadata");
      expect(m.key).toBe("key");
    });

    it("R4 upsert about the own identity", async () => {
      await clear();
      const m = ok(await x.identityMetadata.upsertIdentityMetadata({ reference: own, value: "value" }), "ConnectorIdentityMetadata");
      expect(m.reference).toBe(own);
      expect(m.key).toBeUndefined();
    });

    it("R5 upsert about an unfamiliar identity fails", async () => {
      failed(
        await x.identityMetadata.upsertIdentityMetadata({ reference: randomAddress(), value: "value" }),
        "error.runtime.identityMetadata.unfamiliarReferencedIdentity",
        UNFAMILIAR,
      );
    });

    it("R6 get", async () => {
      await clear();
      ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, value: "value" }));
      const m = ok(await x.identityMetadata.getIdentityMetadata(peer), "ConnectorIdentityMetadata");
      expect(m.value).toBe("value");
    });

    it("R7 get a missing record", async () => {
      await clear();
      failed(await x.identityMetadata.getIdentityMetadata(peer), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
    });

    it("R8 delete, then get fails", async () => {
      await clear();
      ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, value: "value" }));
      const deleted = await x.identityMetadata.deleteIdentityMetadata(peer);
      expect(deleted.isSuccess).toBe(true);
      expect(deleted.result).toBeUndefined();
      failed(await x.identityMetadata.getIdentityMetadata(peer), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
    });

    it("R9 delete a missing record", async () => {
      await clear();
      failed(await x.identityMetadata.deleteIdentityMetadata(peer), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
    });

    it("K1–K5 (Connector integration tests): key undefined, update in place, key, get, delete", async () => {
      await clear();
      const k1 = ok(await x.identityMetadata.upsertIdentityMetadata({ key: undefined, value: "value", reference: own }), "ConnectorIdentityMetadata");
      expect(k1).toStrictEqual({ reference: own, value: "value" });
      const k2 = ok(await x.identityMetadata.upsertIdentityMetadata({ key: undefined, value: { a: "json" }, reference: own }), "ConnectorIdentityMetadata");
      expect(k2.value).toStrictEqual({ a: "json" });
      const k3 = ok(await x.identityMetadata.upsertIdentityMetadata({ key: "key", value: "value", reference: own }), "ConnectorIdentityMetadata");
      expect(k3.key).toBe("key");
      ok(await x.identityMetadata.upsertIdentityMetadata({ reference: own, value: "value" }));
      expect(ok(await x.identityMetadata.getIdentityMetadata(own), "ConnectorIdentityMetadata").value).toBe("value");
      const deleted = await x.identityMetadata.deleteIdentityMetadata(own);
      expect({ isSuccess: deleted.isSuccess, result: deleted.result }).toEqual({ isSuccess: true, result: undefined });
      failed(await x.identityMetadata.getIdentityMetadata(own), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
      // the keyed record is untouched
      expect(ok(await x.identityMetadata.getIdentityMetadata(own, "key")).value).toBe("value");
    });

    it("keys: none, \"\", spaces and & travel through the SDK's query string", async () => {
      await clear();
      for (const key of [undefined, "", "a key & more", "ä/€?#"]) {
        ok(await x.identityMetadata.upsertIdentityMetadata({ reference: own, key, value: key ?? null }), "ConnectorIdentityMetadata");
      }
      for (const key of [undefined, "", "a key & more", "ä/€?#"]) {
        const m = ok(await x.identityMetadata.getIdentityMetadata(own, key), "ConnectorIdentityMetadata");
        expect(m).toStrictEqual(key === undefined ? { reference: own, value: null } : { reference: own, key, value: key });
      }
      for (const key of ["", "a key & more", "ä/€?#"]) ok(await x.identityMetadata.deleteIdentityMetadata(own, key));
    });

    it("values round-trip exactly (D12), null included (deliberate deviation), @type kept", async () => {
      for (const value of [0, false, "", [], {}, [null, 1, "x"], { nested: { deep: [{ "@type": "X" }] } }, null, { "@type": "Kept", a: 1 }]) {
        ok(await x.identityMetadata.upsertIdentityMetadata({ reference: peer, key: "v", value }), "ConnectorIdentityMetadata");
        expect(ok(await x.identityMetadata.getIdentityMetadata(peer, "v")).value).toStrictEqual(value);
      }
    });

    it("validation errors carry upstream's code and first message", async () => {
      const cases: Array<[unknown, string]> = [
        [{}, "must have required property 'reference'"],
        [{ reference: peer }, "must have required property 'value'"],
        [{ value: 1 }, "must have required property 'reference'"],
        [{ reference: peer, value: 1, extra: true }, "must NOT have additional properties"],
        [{ reference: peer, key: 5, value: 1 }, "key must be string"],
        [{ reference: peer, key: null, value: 1 }, "key must be string"],
        [{ reference: 5, value: 1 }, "reference must be string"],
        [
          { reference: "id1abcdefghijklmnopqrstuvwxyz0123456", value: 1 },
          "reference must match pattern did:e:((([A-Za-z0-9]+(-[A-Za-z0-9]+)*)\\.)+[a-z]{2,}|localhost):dids:[0-9a-f]{22}",
        ],
        [{ reference: peer.toUpperCase(), value: 1 }, "reference must match pattern did:e:((([A-Za-z0-9]+(-[A-Za-z0-9]+)*)\\.)+[a-z]{2,}|localhost):dids:[0-9a-f]{22}"],
      ];
      for (const [body, message] of cases) {
        failed(await x.identityMetadata.upsertIdentityMetadata(body as never), "error.runtime.validation.invalidPropertyValue", message);
      }
      failed(await x.identityMetadata.getIdentityMetadata("did:e:example:dids:0123456789abcdef012345"), "error.runtime.validation.invalidPropertyValue", /^reference must match pattern/);
    });

    it("get and delete need no familiarity (D6): an unknown address is simply not found", async () => {
      failed(await x.identityMetadata.getIdentityMetadata(randomAddress()), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
      failed(await x.identityMetadata.deleteIdentityMetadata(randomAddress(), "k"), "error.runtime.identityMetadata.notFound", METADATA_NOT_FOUND);
    });
  });
});
