import { z } from "@hono/zod-openapi";
import { userOrRoleName, type User } from "@idhub/core";
import { allItems, capNote } from "../../http/list-cap.js";
import { route } from "../../http/route-table.js";
import { jsonObject, seconds, timestamp, uuidString as uuid } from "../wire.js";

export const userParams = z.object({ user: uuid });

const user = z
  .object({
    uuid: z.string(),
    account: z.string(),
    role: z.string(),
    name: z.string().nullable(),
    description: jsonObject.optional().openapi({ description: "Left out when the user has none." }),
    created_ts: timestamp,
    updated_ts: timestamp,
  })
  .openapi("TrustedTwinUser");

const userList = z
  .object({
    users: z.record(
      z.string(),
      z.object({ name: z.string().nullable(), role: z.string(), created_ts: timestamp, updated_ts: timestamp }),
    ),
  })
  .openapi("TrustedTwinUsers");

const createUser = z
  .strictObject({
    role: uuid,
    name: userOrRoleName.nullable().optional(),
    description: jsonObject.nullable().optional(),
  })
  .openapi("TrustedTwinCreateUser");

// Merge patch: an absent field is unchanged, a present one (null included) replaces.
const updateUser = z
  .strictObject({
    role: uuid.optional(),
    name: userOrRoleName.nullable().optional(),
    description: jsonObject.nullable().optional(),
  })
  .openapi("TrustedTwinUpdateUser");

const renderUser = (u: User) => ({
  uuid: u.id,
  account: u.account,
  role: u.role,
  name: u.name,
  ...(u.description ? { description: u.description } : {}),
  created_ts: seconds(u.createdAt),
  updated_ts: seconds(u.updatedAt),
});

const renderUserList = (users: User[]) => ({
  users: Object.fromEntries(
    users.map((u) => [u.id, { name: u.name, role: u.role, created_ts: seconds(u.createdAt), updated_ts: seconds(u.updatedAt) }]),
  ),
});

export const userRoutes = [
  route({
    method: "post",
    path: "/users",
    action: "create_user",
    summary: "Create a user",
    description: "The role must permit nothing the caller's own role does not.",
    body: createUser,
    status: 201,
    response: user,
    handle: ({ core, principal, body }) => core.access.users.create(principal, body),
    render: renderUser,
  }),
  route({
    method: "get",
    path: "/users",
    action: "get_users",
    summary: "List the account's users",
    description: "Oldest first." + capNote("users", "access.users.list", "/ 400141"),
    status: 200,
    response: userList,
    handle: ({ core, principal }) => allItems("users", (page) => core.access.users.list(principal, page)),
    render: renderUserList,
  }),
  route({
    method: "get",
    path: "/users/{user}",
    action: "get_user",
    summary: "Get a user",
    params: userParams,
    status: 200,
    response: user,
    handle: ({ core, principal, params }) => core.access.users.get(principal, { id: params.user }),
    render: renderUser,
  }),
  route({
    method: "patch",
    path: "/users/{user}",
    action: "update_user",
    summary: "Update a user",
    params: userParams,
    body: updateUser,
    status: 200,
    response: user,
    handle: ({ core, principal, params, body }) => core.access.users.update(principal, { id: params.user, ...body }),
    render: renderUser,
  }),
  route({
    method: "delete",
    path: "/users/{user}",
    action: "delete_user",
    summary: "Delete a user",
    params: userParams,
    status: 200,
    response: user,
    handle: ({ core, principal, params }) => core.access.users.delete(principal, { id: params.user }),
    render: renderUser,
  }),
];
