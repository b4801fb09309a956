import { z } from "@hono/zod-openapi";
import { route } from "../../http/route-table.js";

const identityInfo = z
  .object({
    address: z.string().openapi({ example: "did:e:localhost:dids:0123456789abcdef012345" }),
    publicKey: z.string().openapi({ description: 'base64url (no padding) of `{"pub": <base64url Ed25519 key>, "alg": 3}`' }),
  })
  .openapi("ConnectorIdentityInfo");

const syncInfo = z
  .object({ lastSyncRun: z.object({ completedAt: z.string() }).optional() })
  .openapi("ConnectorSyncInfo");

export const accountRoutes = [
  route({
    method: "get",
    path: "/Account/IdentityInfo",
    action: "get_identity_info",
    operationId: "getIdentityInfo",
    summary: "The account's address and public key",
    status: 200,
    response: identityInfo,
    handle: ({ core, principal }) => core.access.identityInfo(principal),
    render: (info) => info,
  }),
  // One server holds every account: there is nothing to synchronise, so these answer at once.
  route({
    method: "post",
    path: "/Account/Sync",
    operationId: "sync",
    summary: "Synchronise (nothing to do on a single server)",
    status: 204,
    handle: async () => undefined,
  }),
  route({
    method: "get",
    path: "/Account/SyncInfo",
    operationId: "getSyncInfo",
    summary: "Synchronisation state (no sync runs on a single server)",
    status: 200,
    response: syncInfo,
    handle: async () => ({}),
    render: (info) => info,
  }),
];
