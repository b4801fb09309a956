import cluster, { type Worker } from "node:cluster";
import { openDatabase } from "@idhub/db";
import type { Config } from "../config.js";
import { createLogger } from "../logger.js";
import { runUntilSignal } from "../run.js";
import { startServer } from "../server.js";
import { prepareDatabase } from "./prepare.js";

/** True in a process forked by `serveWithWorkers`. */
export const isClusterWorker = (): boolean => cluster.isWorker;

/**
 * IDHUB_WORKERS=N: this process becomes the cluster primary. It migrates and bootstraps once, then
 * forks N workers that all serve on the one port (node:cluster hands out connections round-robin).
 * A worker that dies is replaced (with a growing pause if it keeps dying young); on SIGTERM/SIGINT
 * every worker drains (readiness 503, in-flight requests finish) and the primary exits when all
 * have, or kills the rest at IDHUB_SHUTDOWN_TIMEOUT.
 */
export async function serveWithWorkers(config: Config): Promise<void> {
  const logger = createLogger(config).child({ role: "primary" });
  const database = await openDatabase(config.databaseUrl, { sqliteSync: config.sqliteSync });
  try {
    await prepareDatabase(database, config, { logger, stdout: process.stdout });
  } finally {
    await database.close();
  }

  let stopping = false;
  let everListened = false;
  let youngDeaths = 0;
  const workers = new Set<Worker>();
  const exited = new Set<() => void>();

  const fork = () => {
    const worker = cluster.fork();
    const bornAt = Date.now();
    workers.add(worker);
    worker.on("listening", () => {
      everListened = true;
      logger.info({ worker: worker.id, pid: worker.process.pid }, "worker online");
    });
    worker.on("exit", (code, signal) => {
      workers.delete(worker);
      for (const notify of exited) notify();
      if (stopping) return;
      if (!everListened) {
        logger.fatal({ code, signal }, "a worker died before serving: stopping");
        stopping = true;
        for (const other of workers) other.process.kill("SIGTERM");
        process.exitCode = 1;
        return;
      }
      youngDeaths = Date.now() - bornAt < 5_000 ? youngDeaths + 1 : 0;
      const pause = Math.min(10_000, 100 * 2 ** Math.min(youngDeaths, 7)) - 100;
      logger.error({ worker: worker.id, pid: worker.process.pid, code, signal, replaceInMs: pause }, "worker died: replacing it");
      setTimeout(() => stopping || fork(), pause);
    });
  };
  for (let i = 0; i < config.workers; i++) fork();

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      logger.info({ signal, workers: workers.size }, "shutting down: draining every worker");
      stopping = true;
      for (const worker of workers) worker.process.kill("SIGTERM");
      const killer = setTimeout(() => {
        for (const worker of workers) worker.process.kill("SIGKILL");
      }, config.shutdownTimeoutMs + 1_000);
      const check = () => {
        if (workers.size > 0) return;
        clearTimeout(killer);
        resolve();
      };
      exited.add(check);
      check();
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    // A fatal start (no worker ever served) also ends the primary.
    exited.add(() => {
      if (stopping && workers.size === 0) resolve();
    });
  });
  logger.info("stopped");
}

/** The body of a cluster worker: serve on the prepared database until told to stop. */
export async function serveAsWorker(config: Config): Promise<void> {
  const server = await startServer({ config, prepared: true });
  await runUntilSignal(server, ["SIGTERM", "SIGINT"], config.shutdownTimeoutMs + 1_000);
  process.exit(0); // the IPC channel to the primary would keep the worker alive
}
