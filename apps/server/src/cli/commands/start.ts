import { runUntilSignal } from "../../run.js";
import { startServer } from "../../server.js";
import { defineCommand } from "../command.js";

export const start = defineCommand({
  name: "start",
  summary: "serve HTTP (tRPC, both REST surfaces, docs) until SIGTERM/SIGINT",
  options: {},
  details: "Logs go to stdout as JSON lines (pino); --json changes nothing here.",
  async run({ config }) {
    const server = await startServer({ config: config() });
    await runUntilSignal(server);
  },
});
