import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CreatedAccount } from "@idhub/core";
import { openTestDatabase, type TestDialect } from "@idhub/db/testing";
import { pino } from "pino";
import { afterAll, beforeAll } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startServer, type RunningServer, type StartOptions } from "../../src/server.js";
import { httpClient, type HttpClient } from "./http.js";

export interface TestServer extends RunningServer {
  /** The first-start secret, as written to the bootstrap file. */
  bootstrapSecret: string;
  bootstrapSecretFile: string;
  /** Everything the server logged (JSON lines) and printed to stdout. */
  logs: string[];
  printed: string[];
  http: HttpClient;
  createAccount(name?: string): Promise<CreatedAccount>;
  stop(): Promise<void>;
}

/**
 * A real server on 127.0.0.1, a random port and a fresh database of the dialect. `env` adds
 * configuration (e.g. `IDHUB_CORS_ORIGINS`), read like the process environment; shutdown waits 2 s
 * unless it sets IDHUB_SHUTDOWN_TIMEOUT.
 */
export async function startTestServer(
  dialect: TestDialect = "sqlite",
  env: Record<string, string> = {},
  options: Pick<StartOptions, "webhooks"> = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), "idhub-server-test-"));
  const logs: string[] = [];
  const printed: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const bootstrapSecretFile = join(dir, "bootstrap-secret.txt");
  const server = await startServer({
    config: loadConfig({ PORT: "0", HOST: "127.0.0.1", NODE_ENV: "test", ...env }),
    logger,
    database: await openTestDatabase(dialect),
    bootstrapSecretFile,
    stdout: { write: (text: string) => printed.push(text) },
    ...(env.IDHUB_SHUTDOWN_TIMEOUT ? {} : { shutdownGraceMs: 2_000 }),
    ...options,
  });
  let n = 0;
  return {
    ...server,
    bootstrapSecret: (await readFile(bootstrapSecretFile, "utf8")).trim(),
    bootstrapSecretFile,
    logs,
    printed,
    http: httpClient(server.url),
    createAccount: (name) => server.core.admin.createAccount({ name: name ?? `account ${++n}` }),
    stop: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A suite's server and accounts, set by `withServer`'s beforeAll (reading one earlier throws). */
export type ServerFixture<Accounts extends Record<string, string>> = { readonly server: TestServer } & {
  readonly [K in keyof Accounts]: CreatedAccount;
};

/**
 * The set-up most suites share: before the suite's tests, `startTestServer(dialect, env, options)`
 * and one account per entry of `accounts` (property → account name), in order; after them, stop.
 * `const fx = withServer(dialect, { a: "A", b: "B" })`, then `fx.server`, `fx.a`, `fx.b` in tests.
 */
export function withServer<const Accounts extends Record<string, string> = {}>(
  dialect: TestDialect = "sqlite",
  accounts: Accounts = {} as Accounts,
  env: Record<string, string> = {},
  options: Pick<StartOptions, "webhooks"> = {},
): ServerFixture<Accounts> {
  const values = new Map<string, TestServer | CreatedAccount>();
  beforeAll(async () => {
    const server = await startTestServer(dialect, env, options);
    values.set("server", server);
    for (const [key, name] of Object.entries(accounts)) values.set(key, await server.createAccount(name));
  });
  afterAll(() => (values.get("server") as TestServer | undefined)?.stop());
  const fixture = {};
  for (const key of ["server", ...Object.keys(accounts)]) {
    Object.defineProperty(fixture, key, {
      get() {
        const value = values.get(key);
        if (value === undefined) throw new Error(`withServer: ${key} is set in beforeAll; read it inside a test or hook`);
        return value;
      },
    });
  }
  return fixture as ServerFixture<Accounts>;
}
