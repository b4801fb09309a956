import { type Core, type CreatedAccount, type JsonObject, type RulesInput, type StatementInput } from "@idhub/core";
import type { Database } from "@idhub/db";
import { createTestCore } from "@idhub/core/testing";
import { openTestDatabase, type TestDialect } from "@idhub/db/testing";
import { afterEach, beforeEach, expect } from "vitest";
import { appRouter, createCallerFactory, createInnerContext } from "../src/index.js";

const createCaller = createCallerFactory(appRouter);

export interface TestEnv {
  database: Database;
  core: Core;
  clock: { ms: number; now(): number };
  close(): Promise<void>;
}

/** A core on a fresh migrated database, with a clock the test can move. */
export async function setup(dialect: TestDialect): Promise<TestEnv> {
  const database = await openTestDatabase(dialect);
  const { core, clock } = createTestCore(database.store);
  return { database, core, clock, close: () => database.close() };
}

/**
 * The set-up every suite shares: a fresh `setup(dialect)` before each test, closed after it. The
 * returned object reads through to the current test's env (`env.core`, `env.database`, `env.clock`).
 */
export function freshEnv(dialect: TestDialect): TestEnv {
  let current: TestEnv | undefined;
  beforeEach(async () => {
    current = await setup(dialect);
  });
  afterEach(() => current?.close());
  const now = (): TestEnv => {
    if (!current) throw new Error("freshEnv: the env is set in beforeEach; read it inside a test or hook");
    return current;
  };
  return {
    get database() {
      return now().database;
    },
    get core() {
      return now().core;
    },
    get clock() {
      return now().clock;
    },
    close: () => now().close(),
  };
}

/** A tRPC caller authenticated with a secret (and an optional X-TrustedTwin dictionary), as the HTTP layer does it. */
export async function callerFor(core: Core, secret: string, dict?: JsonObject) {
  const dictHeader = dict ? Buffer.from(JSON.stringify(dict)).toString("base64") : undefined;
  const principal = await core.access.authenticate({ secret, client: "test", dictHeader });
  return createCaller(createInnerContext({ core, principal }));
}

export const anonymousCaller = (core: Core) => createCaller(createInnerContext({ core }));

export async function newAccount(core: Core, name: string): Promise<CreatedAccount & { caller: Awaited<ReturnType<typeof callerFor>> }> {
  const created = await core.admin.createAccount({ name });
  return { ...created, caller: await callerFor(core, created.secret) };
}

/** Another user of `admin`'s account with its own role (statement, rules), description and secret. */
export async function member(
  core: Core,
  admin: Awaited<ReturnType<typeof newAccount>>,
  options: { statement?: StatementInput; rules?: RulesInput; description?: JsonObject; dict?: JsonObject } = {},
) {
  const role = await admin.caller.access.roles.create({ name: "member", statement: options.statement, rules: options.rules });
  const user = await admin.caller.access.users.create({ role: role.id, description: options.description ?? null });
  const { secret } = await core.admin.issueSecret({ account: admin.account.id, user: user.id });
  return { role, user, caller: await callerFor(core, secret, options.dict) };
}

/** Resolves to the error a promise rejects with (fails the test if it does not reject). */
export async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; domain?: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code: string; message: string; cause?: { code?: string } };
    return { code: e.code, message: e.message, domain: e.cause?.code };
  }
  throw new Error("expected the call to fail");
}

/** Each call is refused with FORBIDDEN / access.actionNotPermitted, naming the action it lacks. */
export async function expectEachForbidden(calls: ReadonlyArray<readonly [() => Promise<unknown>, string]>): Promise<void> {
  for (const [call, action] of calls) {
    const denied = await rejection(call());
    expect(denied).toMatchObject({ code: "FORBIDDEN", domain: "access.actionNotPermitted" });
    expect(denied.message).toContain(action);
  }
}
