import { conflict, isDomainError } from "@idhub/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommittedChange, Database } from "../../src/index.js";
import { openTestDatabase, testDialects } from "../../src/testing.js";
import { aSecret, anEvent, gate, seedTenant, sha256, type Tenant } from "../fixtures.js";

// Group commit (src/group-commit.ts): use cases started in the same event-loop turn share one
// transaction, each in its own savepoint.
describe.each(testDialects)("group commit (%s)", (dialect) => {
  let database: Database;
  let tenant: Tenant;
  let commits: CommittedChange[];
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    tenant = await database.store.transaction((tx) => seedTenant(tx));
    commits = [];
    database.store.onCommit((change) => commits.push(change));
  });
  afterEach(() => database.close());

  const appendOne = (subject: string) => (tx: Parameters<Parameters<Database["store"]["transaction"]>[0]>[0]) =>
    tx.events.append([anEvent(tenant.account.id, { subject })]).then(() => subject);
  const subjects = async () => (await database.store.read.events.list(tenant.account.id, 0, 100)).map((e) => e.subject);

  it("runs the use cases of one turn in one transaction, in arrival order", async () => {
    const results = await Promise.all(["a", "b", "c"].map((s) => database.store.transaction(appendOne(s))));
    expect(results).toEqual(["a", "b", "c"]);
    expect(commits).toHaveLength(1);
    expect(commits[0]!.events.map((e) => e.subject)).toEqual(["a", "b", "c"]);
    expect(await subjects()).toEqual(["a", "b", "c"]);
  });

  it("rolls back only the use case that fails, and gives its caller its own error", async () => {
    const failing = database.store.transaction(async (tx) => {
      await appendOne("lost")(tx);
      await tx.secrets.put(aSecret(tenant.account.id, tenant.user.id, { hash: sha256("lost") }));
      throw conflict("test.failed", "this use case fails");
    });
    const [first, second, third] = await Promise.allSettled([
      database.store.transaction(appendOne("before")),
      failing,
      database.store.transaction(appendOne("after")),
    ]);
    expect(first).toEqual({ status: "fulfilled", value: "before" });
    expect(third).toEqual({ status: "fulfilled", value: "after" });
    expect(second.status).toBe("rejected");
    const error = (second as PromiseRejectedResult).reason;
    expect(isDomainError(error) && error.code).toBe("test.failed");
    expect(commits).toHaveLength(1);
    expect(await subjects()).toEqual(["before", "after"]);
    expect(await database.store.read.secrets.get(tenant.account.id, tenant.user.id)).toBeUndefined();
  });

  it("rolls back a failed statement inside a group without aborting the others", async () => {
    const [ok, broken] = await Promise.allSettled([
      database.store.transaction(appendOne("kept")),
      database.store.transaction(async (tx) => {
        await appendOne("undone")(tx);
        await tx.accounts.insert(tenant.account); // duplicate id: the statement fails
      }),
    ]);
    expect(ok).toEqual({ status: "fulfilled", value: "kept" });
    expect(broken.status).toBe("rejected");
    expect(await subjects()).toEqual(["kept"]);
  });

  it("answers no caller before the commit", async () => {
    const order: string[] = [];
    database.store.onCommit(() => order.push("commit"));
    await Promise.all(
      ["x", "y"].map((s) => database.store.transaction(appendOne(s)).then((value) => order.push(`answered ${value}`))),
    );
    expect(order).toEqual(["commit", "answered x", "answered y"]);
  });

  if (dialect === "postgres") {
    it("runs a member that waits for a row lock alone, so its group neither waits nor deadlocks", async () => {
      // Another transaction holds the user's row.
      const held = gate();
      let locked!: () => void;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const holder = database.db.transaction().execute(async (trx) => {
        await trx.selectFrom("users").select("id").where("id", "=", tenant.user.id).forUpdate().execute();
        locked();
        await held.opened;
      });
      await lockTaken;
      const renamed = database.store.transaction((tx) => tx.users.update({ ...tenant.user, name: "Renamed" }));
      const other = database.store.transaction(appendOne("not held up"));
      // The other member commits while the row is still locked…
      expect(await other).toBe("not held up");
      expect(await subjects()).toEqual(["not held up"]);
      // …and the waiting one completes, alone, once the lock is released.
      held.open();
      await holder;
      expect(await renamed).toBe(true);
      expect((await database.store.read.users.get(tenant.account.id, tenant.user.id))?.name).toBe("Renamed");
    });
  }

  it("reports access changes to the commit listeners and not other writes", async () => {
    await database.store.transaction(appendOne("plain"));
    await database.store.transaction((tx) => tx.secrets.put(aSecret(tenant.account.id, tenant.user.id)));
    expect(commits.map((c) => c.accessChanged)).toEqual([false, true]);
  });
});
