import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/index.js";
import { openTestDatabase, testDialects } from "../../src/testing.js";
import { aRole, aSecret, seedTenant, sleep, type Tenant } from "../fixtures.js";

// The authentication cache (src/credential-cache.ts): store.read.secrets.findOwnerByHash.
describe.each(testDialects)("credential cache (%s)", (dialect) => {
  let database: Database;
  let tenant: Tenant;
  let hash: string;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    tenant = await database.store.transaction((tx) => seedTenant(tx));
    const secret = aSecret(tenant.account.id, tenant.user.id);
    hash = secret.hash;
    await database.store.transaction((tx) => tx.secrets.put(secret));
  });
  afterEach(() => database.close());

  const owner = () => database.store.read.secrets.findOwnerByHash(hash);

  it("sees a secret change committed in this process on the next look-up", async () => {
    expect((await owner())?.secret.validityAt).toBeNull();
    await database.store.transaction((tx) => tx.secrets.put(aSecret(tenant.account.id, tenant.user.id, { hash, validityAt: 5 })));
    expect((await owner())?.secret.validityAt).toBe(5);
    await database.store.transaction((tx) => tx.secrets.delete(tenant.account.id, tenant.user.id));
    expect(await owner()).toBeUndefined();
  });

  it("sees a role change and a user's new role on the next look-up", async () => {
    expect((await owner())?.role.statement.actions).toEqual(["get_twin", "create_twin"]);
    await database.store.transaction((tx) =>
      tx.roles.update({ ...tenant.role, statement: { effect: "allow", actions: ["get_twin"] } }),
    );
    expect((await owner())?.role.statement.actions).toEqual(["get_twin"]);
    const other = aRole(tenant.account.id, { statement: { effect: "deny", actions: ["get_twin"] } });
    await database.store.transaction(async (tx) => {
      await tx.roles.insert(other);
      await tx.users.update({ ...tenant.user, role: other.id });
    });
    expect((await owner())?.role.id).toBe(other.id);
  });

  it("serves a changed row only after invalidateCredentials() when the change bypassed the store", async () => {
    await owner();
    await database.db.updateTable("secrets").set({ validity_at: 7 }).where("hash", "=", hash).execute();
    if (dialect === "sqlite") expect((await owner())?.secret.validityAt).toBeNull(); // same connection: cached
    database.store.invalidateCredentials();
    expect((await owner())?.secret.validityAt).toBe(7);
  });

  if (dialect === "postgres") {
    it("reads an entry again after at most one second (changes by other processes)", async () => {
      await owner();
      await database.db.updateTable("secrets").set({ validity_at: 9 }).where("hash", "=", hash).execute();
      await sleep(1100);
      expect((await owner())?.secret.validityAt).toBe(9);
    });
  }
});

describe("credential cache across SQLite connections (another process on the same file)", () => {
  let dir: string;
  let first: Database;
  let second: Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "idhub-credential-cache-"));
    const url = `file:${join(dir, "shared.sqlite")}`;
    first = await openDatabase(url, { guardTransactions: true });
    await first.migrate();
    second = await openDatabase(url, { guardTransactions: true });
  });
  afterEach(async () => {
    await first.close();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("drops its entries when the other connection commits", async () => {
    const tenant = await first.store.transaction((tx) => seedTenant(tx));
    const secret = aSecret(tenant.account.id, tenant.user.id);
    await first.store.transaction((tx) => tx.secrets.put(secret));
    expect(await first.store.read.secrets.findOwnerByHash(secret.hash)).toBeDefined();
    await second.store.transaction((tx) => tx.secrets.delete(tenant.account.id, tenant.user.id));
    expect(await first.store.read.secrets.findOwnerByHash(secret.hash)).toBeUndefined();
  });
});
