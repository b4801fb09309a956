import { DomainError } from "@idhub/core";
import { describe, expect, it } from "vitest";
import { testDialects } from "../src/testing.js";
import { aRole, tick } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

// Found by apps/server/test/fuzz-rest.test.ts: on PostgreSQL a NUL character in an identity
// metadata key, a rule or a template password made the driver throw (SQLSTATE 22021) and the
// request was answered 500. It is the client's mistake: a validation error on every path.

const PEER = "did:e:localhost:dids:0123456789abcdef012345";

describe.each(testDialects)("text PostgreSQL cannot store (%s)", (dialect) => {
  const fx = freshDatabase(dialect, { owner: true });

  const upsert = (key: string) =>
    fx.database.store.transaction((tx) =>
      tx.identityMetadata.upsert({ id: "IDM00000000000000001", owner: fx.owner, reference: PEER, key, valueJson: "1", at: tick() }),
    );

  it(dialect === "postgres" ? "is a validation error, in and out of transactions" : "is stored as is", async () => {
    if (dialect === "sqlite") {
      await expect(upsert("k\u0000")).resolves.toBeDefined();
      expect(await fx.database.store.read.identityMetadata.get(fx.owner, PEER, "k\u0000")).toMatchObject({ key: "k\u0000" });
      return;
    }
    const expectInvalid = async (promise: Promise<unknown>) => {
      const error = await promise.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ kind: "INVALID", code: "validation.invalidInput" });
    };
    await expectInvalid(upsert("k\u0000"));
    await expectInvalid(fx.database.store.read.identityMetadata.get(fx.owner, PEER, "k\u0000"));
    await expectInvalid(fx.database.store.read.roles.insert(aRole(fx.owner, { rules: { twinRule: "'\u0000' == 'a'", entryRule: null, identityRule: null } })));
    // the connection is still usable afterwards
    await expect(upsert("k")).resolves.toBeDefined();
  });
});
