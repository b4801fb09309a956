import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { Database } from "../src/index.js";
import { openTestDatabase, type TestDialect } from "../src/testing.js";
import { anAccount } from "./fixtures.js";

/** A suite's database (and owner account), set by `freshDatabase`'s hook (reading one earlier throws). */
export interface DatabaseFixture {
  readonly database: Database;
  /** With `owner: true`: the id of an account inserted into each fresh database. */
  readonly owner: string;
  /** Inserts another account into the database; resolves with its id. */
  newAccount(): Promise<string>;
}

/**
 * The set-up most repository suites share: a fresh test database of the dialect before each test
 * (`per: "suite"`: one for the whole suite), closed after it; with `owner: true` also one account,
 * whose id is `fx.owner`. `const fx = freshDatabase(dialect)`, then `fx.database` in tests.
 */
export function freshDatabase(dialect: TestDialect, options: { owner?: boolean; per?: "test" | "suite" } = {}): DatabaseFixture {
  let database: Database | undefined;
  let owner: string | undefined;
  const [before, after] = options.per === "suite" ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    database = await openTestDatabase(dialect);
    if (options.owner) {
      const account = anAccount();
      await database.store.read.accounts.insert(account);
      owner = account.id;
    }
  });
  after(() => database?.close());
  const set = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`freshDatabase: ${name} is set in a hook; read it inside a test or hook`);
    return value;
  };
  return {
    get database() {
      return set(database, "database");
    },
    get owner() {
      return set(owner, "owner");
    },
    async newAccount() {
      const account = anAccount();
      await set(database, "database").store.read.accounts.insert(account);
      return account.id;
    },
  };
}
