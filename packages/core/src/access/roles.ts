import { z } from "zod";
import type { CoreDeps } from "../deps.js";
import { conflict, notFound } from "../errors.js";
import { newEvent } from "../events/new-event.js";
import { assertValidRule } from "../rules/index.js";
import { userOrRoleName, uuid } from "../shared/names.js";
import { parseInput } from "../shared/validation/index.js";
import { isAction, type Action } from "./actions.js";
import { authorize } from "./authorize.js";
import { assertWithinCaller, findRole } from "./guards.js";
import type { Principal } from "./principal.js";
import { DEFAULT_ROLE_NAME, NO_RULES, type Role, type RoleRules } from "./role.js";
import { SUPER_ADMIN_STATEMENT, type Statement } from "./statement.js";
import { idSchema, type IdInput } from "./users.js";

export interface StatementInput {
  effect: "allow" | "deny";
  actions?: string[] | null | undefined;
}
export interface RulesInput {
  twinRule?: string | null | undefined;
  entryRule?: string | null | undefined;
  identityRule?: string | null | undefined;
}
export interface CreateRoleInput {
  name?: string | undefined;
  statement?: StatementInput | undefined;
  rules?: RulesInput | undefined;
}
/** Merge patch: absent fields (and absent rule keys) are unchanged. */
export interface UpdateRoleInput extends CreateRoleInput {
  id: string;
}

const statementSchema = z.strictObject({
  effect: z.enum(["allow", "deny"]),
  actions: z
    .array(z.string().refine(isAction, { error: (issue) => `unknown action '${String(issue.input)}'` }))
    .nullable()
    .optional(),
});
const rule = z.string().nullable().optional();
const rulesSchema = z.strictObject({ twinRule: rule, entryRule: rule, identityRule: rule });
const createSchema = z.strictObject({
  name: userOrRoleName.optional(),
  statement: statementSchema.optional(),
  rules: rulesSchema.optional(),
});
const updateSchema = createSchema.extend({ id: uuid });

const toStatement = (input: z.output<typeof statementSchema>): Statement => ({
  effect: input.effect,
  actions: (input.actions ?? null) as Action[] | null,
});

/** Applies a rules patch after checking that every new rule parses. */
function mergeRules(current: RoleRules, patch: z.output<typeof rulesSchema> | undefined): RoleRules {
  const next = { ...current };
  for (const key of ["twinRule", "entryRule", "identityRule"] as const) {
    const value = patch?.[key];
    if (value === undefined) continue;
    if (value !== null) assertValidRule(value, `rules.${key}`);
    next[key] = value;
  }
  return next;
}

export const roleUseCases = (deps: CoreDeps) => ({
  async create(principal: Principal, raw: CreateRoleInput): Promise<Role> {
    authorize(principal, "create_user_role");
    const input = parseInput(createSchema, raw);
    const statement = input.statement ? toStatement(input.statement) : SUPER_ADMIN_STATEMENT;
    assertWithinCaller(principal, statement);
    const now = deps.clock.now();
    const role: Role = {
      id: deps.ids.uuid(),
      account: principal.account,
      name: input.name ?? DEFAULT_ROLE_NAME,
      statement,
      rules: mergeRules(NO_RULES, input.rules),
      createdAt: now,
      updatedAt: now,
    };
    return deps.store.transaction(async (tx) => {
      await tx.roles.insert(role);
      await tx.events.append([newEvent(deps, principal.account, "role.created", role.id, principal.user)]);
      return role;
    });
  },

  async list(principal: Principal): Promise<Role[]> {
    authorize(principal, "get_user_roles");
    return deps.store.read.roles.list(principal.account);
  },

  async get(principal: Principal, raw: IdInput): Promise<Role> {
    authorize(principal, "get_user_role");
    const { id } = parseInput(idSchema, raw);
    return findRole(deps.store.read, principal, id);
  },

  async update(principal: Principal, raw: UpdateRoleInput): Promise<Role> {
    authorize(principal, "update_user_role");
    const input = parseInput(updateSchema, raw);
    return deps.store.transaction(async (tx) => {
      const current = await findRole(tx, principal, input.id);
      assertWithinCaller(principal, current.statement);
      const statement = input.statement ? toStatement(input.statement) : current.statement;
      assertWithinCaller(principal, statement);
      const role: Role = {
        ...current,
        name: input.name ?? current.name,
        statement,
        rules: mergeRules(current.rules, input.rules),
        updatedAt: deps.clock.now(),
      };
      if (!(await tx.roles.update(role))) throw notFound("access.role.notFound", "Role not found.");
      await tx.events.append([newEvent(deps, principal.account, "role.updated", role.id, principal.user)]);
      return role;
    });
  },

  async delete(principal: Principal, raw: IdInput): Promise<Role> {
    authorize(principal, "delete_user_role");
    const { id } = parseInput(idSchema, raw);
    return deps.store.transaction(async (tx) => {
      const role = await findRole(tx, principal, id);
      assertWithinCaller(principal, role.statement);
      // Checked here for a clear message; the foreign key from users still guards against races.
      if (await tx.roles.isInUse(principal.account, id)) {
        throw conflict("access.role.inUse", "The role is held by a user and cannot be deleted.");
      }
      await tx.roles.delete(principal.account, id);
      await tx.events.append([newEvent(deps, principal.account, "role.deleted", id, principal.user)]);
      return role;
    });
  },
});
