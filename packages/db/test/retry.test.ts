import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS } from "../src/retry.js";
import { testDialects } from "../src/testing.js";
import { freshDatabase } from "./database-fixture.js";

// Transient conflicts between processes (SQLITE_BUSY, PostgreSQL 40001/40P01) never reach a
// client: the store runs the transaction again, a bounded number of times.

const conflict = (code: string) => Object.assign(new Error(`simulated ${code}`), { code });

describe.each(testDialects)("store.transaction retries transient conflicts (%s)", (dialect) => {
  const fx = freshDatabase(dialect, { per: "suite" });

  it.each(["SQLITE_BUSY", "40001", "40P01"])("runs the work again after %s and commits once", async (code) => {
    let attempts = 0;
    const result = await fx.database.store.transaction(async (tx) => {
      attempts++;
      await tx.accounts.count();
      if (attempts < 3) throw conflict(code);
      return "done";
    });
    expect(result).toBe("done");
    expect(attempts).toBe(3);
  });

  it("gives up after a bounded number of attempts", async () => {
    let attempts = 0;
    await expect(
      fx.database.store.transaction(async () => {
        attempts++;
        throw conflict("SQLITE_BUSY");
      }),
    ).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    expect(attempts).toBe(MAX_ATTEMPTS);
  });

  it("never repeats work that failed for another reason", async () => {
    let attempts = 0;
    await expect(
      fx.database.store.transaction(async () => {
        attempts++;
        throw conflict("23505");
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(attempts).toBe(1);
  });
});
