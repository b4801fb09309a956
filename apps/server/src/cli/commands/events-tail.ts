import { setTimeout as sleep } from "node:timers/promises";
import type { DomainEvent } from "@idhub/core";
import { UsageError, defineCommand } from "../command.js";
import { withDatabase } from "../database.js";
import { iso } from "../format.js";

const PAGE = 500;

const integer = (name: string, text: string | undefined, fallback: number, min: number): number => {
  if (text === undefined) return fallback;
  if (!/^\d{1,15}$/.test(text) || Number(text) < min) throw new UsageError(`--${name} must be an integer ≥ ${min}`);
  return Number(text);
};

export const eventsTail = defineCommand({
  name: "events tail",
  summary: "print an account's change feed and follow it until interrupted",
  options: {
    account: { type: "string", value: "id", help: "the account whose feed to follow", required: true },
    after: { type: "string", value: "seq", help: "start after this event seq (default 0: the oldest retained)" },
    once: { type: "boolean", help: "print what is there and exit instead of following" },
    interval: { type: "string", value: "ms", help: "how often to look for new events while following (default 1000)" },
  },
  details:
    "Human output: one line per event, `<seq> <time> <type> <subject> by <actor|system>`.\n" +
    "--json prints one JSON object per line: {seq, id, type, subject, actor, at, data}.\n" +
    "SIGINT or SIGTERM ends it with exit 0.",
  async run({ options, config, out }) {
    let after = integer("after", options.after, 0, 0);
    const interval = integer("interval", options.interval, 1000, 10);
    const stop = new AbortController();
    const end = () => stop.abort();
    process.once("SIGINT", end);
    process.once("SIGTERM", end);
    try {
      await withDatabase(config(), async (core) => {
        while (!stop.signal.aborted) {
          const page = await core.admin.listEvents({ account: options.account, after, limit: PAGE });
          for (const event of page) out.result(eventJson(event), eventLine(event));
          after = page.at(-1)?.seq ?? after;
          if (page.length === PAGE) continue;
          if (options.once) return;
          await sleep(interval, undefined, { signal: stop.signal }).catch(() => undefined);
        }
      });
    } finally {
      process.off("SIGINT", end);
      process.off("SIGTERM", end);
    }
  },
});

const eventJson = (e: DomainEvent) => ({ seq: e.seq, id: e.id, type: e.type, subject: e.subject, actor: e.actor, at: iso(e.at), data: e.data });
const eventLine = (e: DomainEvent) => `${e.seq} ${iso(e.at)} ${e.type} ${e.subject} by ${e.actor ?? "system"}`;
