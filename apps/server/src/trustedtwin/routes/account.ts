import { z } from "@hono/zod-openapi";
import type { Account } from "@idhub/core";
import { route } from "../../http/route-table.js";
import { seconds, timestamp } from "../wire.js";

const whoami = z.object({ account: z.string(), user: z.string(), role: z.string() }).openapi("TrustedTwinWhoAmI");

const account = z
  .object({
    uuid: z.string(),
    address: z.string().openapi({ description: "The account's enmeshed-style address (an idhub extension)." }),
    created_ts: timestamp,
    updated_ts: timestamp,
  })
  .openapi("TrustedTwinAccount");

const renderAccount = (a: Account) => ({
  uuid: a.id,
  address: a.address,
  created_ts: seconds(a.createdAt),
  updated_ts: seconds(a.updatedAt),
});

export const accountRoutes = [
  route({
    method: "get",
    path: "/whoami",
    operationId: "whoami",
    summary: "The calling user, its role and account",
    status: 200,
    response: whoami,
    handle: ({ core, principal }) => core.access.whoami(principal),
    render: (me) => me,
  }),
  route({
    method: "get",
    path: "/account",
    action: "get_account",
    summary: "The caller's account",
    status: 200,
    response: account,
    handle: ({ core, principal }) => core.access.get(principal),
    render: renderAccount,
  }),
];
