/**
 * The full idhub stack in a child process, started exactly as `idhub start` does it: loadConfig from
 * the environment (IDHUB_DATABASE_URL, LOG_LEVEL, …) and startServer (migrations, bootstrap, Hono app
 * with all surfaces, request log). Then it creates the accounts the load needs through core — as the
 * CLI's `account create` does — and reports their real secrets to the harness over IPC.
 *
 * BENCH_ACCOUNTS: how many accounts to create (0 for a second process on a shared PostgreSQL).
 * SIGTERM closes the server gracefully and exits, so `node --cpu-prof` writes its profile.
 */
import { join } from "node:path";
import { loadConfig, runUntilSignal, startServer } from "@idhub/server";

const send = (message: object) => process.send?.(message);

try {
  const config = loadConfig(process.env);
  const server = await startServer({
    config,
    // Keep the first-start secret and its banner out of the working tree and the log.
    bootstrapSecretFile: join(process.env.BENCH_TMP_DIR ?? process.cwd(), "bootstrap-secret.txt"),
    stdout: { write: () => true },
  });
  const accounts = [];
  for (let i = 0; i < Number(process.env.BENCH_ACCOUNTS ?? 1); i++) {
    const created = await server.core.admin.createAccount({ name: `bench-${i}` });
    accounts.push({
      account: created.account.id,
      address: created.account.address,
      user: created.user.id,
      role: created.role.id,
      secret: created.secret,
    });
  }
  send({ type: "ready", url: server.url, dialect: server.database.dialect, accounts });
  await runUntilSignal(server);
  // The IPC channel would keep the process alive; exiting also flushes --cpu-prof.
  process.exit(0);
} catch (error) {
  send({ type: "error", error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
