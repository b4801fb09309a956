import { z } from "@hono/zod-openapi";
import { userOrRoleName, type Role, type RulesInput } from "@idhub/core";
import { allItems, capNote } from "../../http/list-cap.js";
import { route } from "../../http/route-table.js";
import { seconds, timestamp, uuidString as uuid } from "../wire.js";

const roleParams = z.object({ role: uuid });

const statement = z
  .strictObject({
    effect: z.enum(["allow", "deny"]),
    actions: z.array(z.string()).nullable().optional(),
  })
  .openapi("TrustedTwinStatement", { description: "allow: only the listed actions; deny: all but the listed ones." });

const ruleText = z.string().nullable().optional();

// Some Trusted Twin pages write the rule keys without the `_rule` suffix; both spellings are accepted.
const RULE_KEYS = [
  ["twin_rule", "twin", "twinRule"],
  ["entry_rule", "entry", "entryRule"],
  ["identity_rule", "identity", "identityRule"],
] as const;

const rulesInput = z
  .strictObject({ twin_rule: ruleText, entry_rule: ruleText, identity_rule: ruleText, twin: ruleText, entry: ruleText, identity: ruleText })
  .superRefine((rules, ctx) => {
    for (const [long, short] of RULE_KEYS) {
      if (rules[long] !== undefined && rules[short] !== undefined) {
        ctx.addIssue({ code: "custom", path: [short], message: `give either ${long} or ${short}, not both` });
      }
    }
  })
  .openapi("TrustedTwinRulesInput");

const roleInput = z
  .strictObject({ name: userOrRoleName.optional(), statement: statement.optional(), rules: rulesInput.optional() })
  .openapi("TrustedTwinRoleInput");

const role = z
  .object({
    uuid: z.string(),
    account: z.string(),
    name: z.string(),
    statement: z.object({ effect: z.enum(["allow", "deny"]), actions: z.array(z.string()).nullable() }),
    rules: z.object({ twin_rule: z.string().nullable(), entry_rule: z.string().nullable(), identity_rule: z.string().nullable() }),
    created_ts: timestamp,
    updated_ts: timestamp,
  })
  .openapi("TrustedTwinRole");

const roleList = z
  .object({ roles: z.record(z.string(), z.object({ name: z.string(), created_ts: timestamp, updated_ts: timestamp })) })
  .openapi("TrustedTwinRoles");

type WireRules = z.output<typeof rulesInput>;

function rulesFromWire(rules: WireRules | undefined): RulesInput | undefined {
  if (!rules) return undefined;
  const out: RulesInput = {};
  for (const [long, short, key] of RULE_KEYS) {
    const value = rules[long] !== undefined ? rules[long] : rules[short];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

const fromWire = (body: z.output<typeof roleInput>) => ({
  name: body.name,
  statement: body.statement,
  rules: rulesFromWire(body.rules),
});

const renderRole = (r: Role) => ({
  uuid: r.id,
  account: r.account,
  name: r.name,
  statement: r.statement,
  rules: { twin_rule: r.rules.twinRule, entry_rule: r.rules.entryRule, identity_rule: r.rules.identityRule },
  created_ts: seconds(r.createdAt),
  updated_ts: seconds(r.updatedAt),
});

const renderRoleList = (roles: Role[]) => ({
  roles: Object.fromEntries(
    roles.map((r) => [r.id, { name: r.name, created_ts: seconds(r.createdAt), updated_ts: seconds(r.updatedAt) }]),
  ),
});

export const roleRoutes = [
  route({
    method: "post",
    path: "/roles",
    action: "create_user_role",
    summary: "Create a role",
    description:
      "Without a statement the role allows every action. The role must permit nothing the caller's own role does not.",
    body: roleInput,
    status: 201,
    response: role,
    handle: ({ core, principal, body }) => core.access.roles.create(principal, fromWire(body)),
    render: renderRole,
  }),
  route({
    method: "get",
    path: "/roles",
    action: "get_user_roles",
    summary: "List the account's roles",
    description: "Oldest first." + capNote("roles", "access.roles.list", "/ 400141"),
    status: 200,
    response: roleList,
    handle: ({ core, principal }) => allItems("roles", (page) => core.access.roles.list(principal, page)),
    render: renderRoleList,
  }),
  route({
    method: "get",
    path: "/roles/{role}",
    action: "get_user_role",
    summary: "Get a role",
    params: roleParams,
    status: 200,
    response: role,
    handle: ({ core, principal, params }) => core.access.roles.get(principal, { id: params.role }),
    render: renderRole,
  }),
  route({
    method: "patch",
    path: "/roles/{role}",
    action: "update_user_role",
    summary: "Update a role",
    description: "Absent fields (and absent rule keys) are unchanged.",
    params: roleParams,
    body: roleInput,
    status: 200,
    response: role,
    handle: ({ core, principal, params, body }) => core.access.roles.update(principal, { id: params.role, ...fromWire(body) }),
    render: renderRole,
  }),
  route({
    method: "delete",
    path: "/roles/{role}",
    action: "delete_user_role",
    summary: "Delete a role",
    description: "A role still held by a user cannot be deleted (400897).",
    params: roleParams,
    status: 200,
    response: role,
    handle: ({ core, principal, params }) => core.access.roles.delete(principal, { id: params.role }),
    render: renderRole,
  }),
];
