import { isClusterWorker, serveAsWorker, serveWithWorkers } from "../../lifecycle/cluster.js";
import { runUntilSignal } from "../../run.js";
import { startServer } from "../../server.js";
import { defineCommand } from "../command.js";

export const start = defineCommand({
  name: "start",
  summary: "serve HTTP (tRPC, both REST surfaces, docs) until SIGTERM/SIGINT",
  options: {},
  details:
    "Logs go to stdout as JSON lines (pino); --json changes nothing here. With IDHUB_WORKERS=N (or auto) this " +
    "process migrates, bootstraps, then forks N workers on the one port and replaces any that dies.",
  async run({ config }) {
    const settings = config();
    if (isClusterWorker()) return serveAsWorker(settings);
    if (settings.workers > 1) return serveWithWorkers(settings);
    const server = await startServer({ config: settings });
    await runUntilSignal(server, ["SIGTERM", "SIGINT"], settings.shutdownTimeoutMs + 1_000);
  },
});
