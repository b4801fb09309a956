import { z } from "@hono/zod-openapi";
import type { IssuedSecret, SecretInfo } from "@idhub/core";
import { route } from "../../http/route-table.js";
import { millis, seconds, secondsOrNull, timestamp } from "../wire.js";
import { userParams } from "./users.js";

const pinRequest = z
  .strictObject({
    validity_ts: timestamp.nullable().optional().openapi({ description: "Expiry of the future secret; null = never." }),
  })
  .openapi("TrustedTwinPinRequest");

const pin = z.object({ pin: z.string().openapi({ example: "AB12CD" }) }).openapi("TrustedTwinPin");

const secretUpdate = z.strictObject({ validity_ts: timestamp.nullable() }).openapi("TrustedTwinSecretUpdate");

const secretInfo = z
  .object({
    account: z.string(),
    user: z.string(),
    validity_ts: timestamp.nullable(),
    created_ts: timestamp,
    updated_ts: timestamp,
    fingerprint: z.string().openapi({ description: "The secret's last 4 characters." }),
  })
  .openapi("TrustedTwinSecretInfo");

const issuedSecret = z
  .object({
    secret: z.string(),
    account: z.string(),
    user: z.string(),
    validity_ts: timestamp.nullable(),
    created_ts: timestamp,
    updated_ts: timestamp,
  })
  .openapi("TrustedTwinSecret");

const redeemParams = z.object({
  account: z.string().openapi({ description: "Account UUID" }),
  pin: z.string().openapi({ description: "The PIN from create_user_secret_pin" }),
});

const renderInfo = (s: SecretInfo) => ({
  account: s.account,
  user: s.user,
  validity_ts: secondsOrNull(s.validityAt),
  created_ts: seconds(s.createdAt),
  updated_ts: seconds(s.updatedAt),
  fingerprint: s.fingerprint,
});

const renderIssued = (s: IssuedSecret) => ({
  secret: s.secret,
  account: s.account,
  user: s.user,
  validity_ts: secondsOrNull(s.validityAt),
  created_ts: seconds(s.createdAt),
  updated_ts: seconds(s.updatedAt),
});

export const secretRoutes = [
  route({
    method: "post",
    path: "/users/{user}/secrets",
    action: "create_user_secret_pin",
    summary: "Create a PIN for a new secret",
    description: "The PIN is valid for 10 minutes and can be exchanged once, without authentication, for a new secret.",
    params: userParams,
    body: pinRequest,
    status: 201,
    response: pin,
    handle: ({ core, principal, params, body }) =>
      core.access.secrets.createPin(principal, { user: params.user, validityAt: millis(body.validity_ts) }),
    render: (created) => created,
  }),
  route({
    method: "post",
    path: "/secrets/{account}/{pin}",
    operationId: "create_user_secret",
    summary: "Exchange a PIN for the user's new secret",
    description: "No authentication. The secret is shown this once; it replaces the user's previous secret.",
    public: true,
    sensitivePath: true,
    params: redeemParams,
    status: 201,
    response: issuedSecret,
    handle: ({ core, params, client }) => core.access.secrets.redeemPin({ account: params.account, pin: params.pin, client }),
    render: renderIssued,
  }),
  route({
    method: "get",
    path: "/users/{user}/secrets",
    action: "get_user_secret",
    summary: "Get a user's secret (never the secret itself)",
    params: userParams,
    status: 200,
    response: secretInfo,
    handle: ({ core, principal, params }) => core.access.secrets.get(principal, { user: params.user }),
    render: renderInfo,
  }),
  route({
    method: "patch",
    path: "/users/{user}/secrets",
    action: "update_user_secret",
    summary: "Change a secret's validity",
    params: userParams,
    body: secretUpdate,
    status: 200,
    response: secretInfo,
    handle: ({ core, principal, params, body }) =>
      core.access.secrets.update(principal, { user: params.user, validityAt: millis(body.validity_ts) }),
    render: renderInfo,
  }),
  route({
    method: "delete",
    path: "/users/{user}/secrets",
    action: "delete_user_secret",
    summary: "Delete a user's secret",
    params: userParams,
    status: 200,
    response: secretInfo,
    handle: ({ core, principal, params }) => core.access.secrets.delete(principal, { user: params.user }),
    render: renderInfo,
  }),
];
