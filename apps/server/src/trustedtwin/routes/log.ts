import { z } from "@hono/zod-openapi";
import type { DomainEvent, LogPage } from "@idhub/core";
import { route } from "../../http/route-table.js";

const logQuery = z.object({
  fragment: z.string().optional().openapi({
    description: "The `fragment` of the previous answer: continue after its last message. Absent or empty: from the oldest retained event.",
  }),
});

const logPage = z
  .object({
    fragment: z.string().openapi({
      description: "Pass as `fragment` to continue after the last message (the id of its event; empty while the log is empty).",
    }),
    messages: z.array(z.string()).openapi({
      description: "At most 100 messages, oldest first and newest last: `<ISO time> <event type> <subject> by <user id | system>`.",
      example: ["2026-12-04T18:25:06.123Z twin.created 6f7b3c1e-2a4d-4e5f-8a9b-0c1d2e3f4a5b by 0b7c9d2e-3f4a-4b5c-8d6e-7f8091a2b3c4"],
    }),
  })
  .openapi("TrustedTwinLog");

/** One change-feed event as a Trusted Twin log line. */
const message = (e: DomainEvent) => `${new Date(e.at).toISOString()} ${e.type} ${e.subject} by ${e.actor ?? "system"}`;

export const logRoutes = [
  route({
    method: "get",
    path: "/log",
    action: "get_log",
    summary: "The account's change log (the change feed as log messages), 100 at a time",
    description:
      "The same events as tRPC `events.list`. An unknown or malformed fragment, or one whose event retention has pruned, is 400 / 400592.",
    query: logQuery,
    status: 200,
    response: logPage,
    handle: ({ core, principal, query }) => core.events.log(principal, { fragment: query.fragment }),
    render: (page: LogPage) => ({ fragment: page.fragment, messages: page.events.map(message) }),
  }),
];
