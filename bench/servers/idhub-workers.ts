/**
 * idhub as an operator runs it with IDHUB_WORKERS (issue #11: the read case with 2 workers against
 * 1): first the accounts the load needs are created through core on a fresh database (a server on
 * an ephemeral port, closed again), then the built `idhub start` (bin → dist) serves on the
 * harness's port with IDHUB_WORKERS=BENCH_WORKERS — with 1 it is a single process, with N > 1 a
 * cluster primary that forks N workers. Ready once `/health/ready` answers 200. SIGTERM is passed
 * on and this process exits when idhub has drained. CPU is the whole tree (primary + workers).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { loadConfig, startServer } from "@idhub/server";
import { BENCH_DIR } from "../harness/server-process.js";

const send = (message: object) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  const config = loadConfig({ ...process.env, IDHUB_WORKERS: "1" });
  const seeding = await startServer({
    config: { ...config, port: 0 },
    bootstrapSecretFile: join(process.env.BENCH_TMP_DIR ?? process.cwd(), "bootstrap-secret.txt"),
    stdout: { write: () => true },
  });
  const accounts = [];
  for (let i = 0; i < Number(process.env.BENCH_ACCOUNTS ?? 1); i++) {
    const created = await seeding.core.admin.createAccount({ name: `bench-${i}` });
    accounts.push({ account: created.account.id, address: created.account.address, user: created.user.id, role: created.role.id, secret: created.secret });
  }
  await seeding.close();

  const idhub = spawn(process.execPath, [join(BENCH_DIR, "../apps/server/bin/idhub.js"), "start"], {
    env: { ...process.env, IDHUB_WORKERS: process.env.BENCH_WORKERS ?? "1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => idhub.once("exit", () => resolve()));
  process.once("SIGTERM", () => idhub.kill("SIGTERM"));
  const url = `http://${process.env.HOST ?? "127.0.0.1"}:${process.env.PORT}`;
  for (let i = 0; ; i++) {
    const status = await fetch(`${url}/health/ready`).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (i > 600 || idhub.exitCode !== null) throw new Error(`idhub start (IDHUB_WORKERS=${process.env.BENCH_WORKERS}) never became ready`);
    await sleep(50);
  }
  send({ type: "ready", url, accounts });
  await exited;
  process.exit(0);
} catch (error) {
  send({ type: "error", error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
