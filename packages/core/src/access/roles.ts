import { z } from "zod";
import type { CoreDeps } from "../deps.js";
import { conflict } from "../errors.js";
import { assertValidRule } from "../rules/index.js";
import { userOrRoleName, uuid } from "../shared/names.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import { isAction } from "./actions.js";
import { recordUseCases, writeRecord, type RecordKind } from "./account-records.js";
import { authorize } from "./authorize.js";
import { assertWithinCaller, findRole, roleNotFound } from "./guards.js";
import type { Principal } from "./principal.js";
import { DEFAULT_ROLE_NAME, NO_RULES, type Role, type RoleRules } from "./role.js";
import { SUPER_ADMIN_STATEMENT, type Statement } from "./statement.js";

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
/** Merge patch: absent fields (and absent rule keys) are unchanged. */
const updateSchema = createSchema.extend({ id: uuid });

// What callers pass (z.input): `actions` are any strings until parsed; parsing (InputOf) narrows
// them to `Action`s.
export type StatementInput = z.input<typeof statementSchema>;
export type RulesInput = z.input<typeof rulesSchema>;
export type CreateRoleInput = z.input<typeof createSchema>;
export type UpdateRoleInput = z.input<typeof updateSchema>;

const ROLE: RecordKind<Role> = { event: "role", records: (repos) => repos.roles, find: findRole, notFound: roleNotFound };

const toStatement = (input: InputOf<typeof statementSchema>): Statement => ({
  effect: input.effect,
  actions: input.actions ?? null,
});

/** Applies a rules patch after checking that every new rule parses. */
function mergeRules(current: RoleRules, patch: InputOf<typeof rulesSchema> | undefined): RoleRules {
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
  ...recordUseCases(deps, ROLE, { list: "get_user_roles", get: "get_user_role", delete: "delete_user_role" }, async (tx, principal, id) => {
    const role = await findRole(tx, principal, id);
    assertWithinCaller(principal, role.statement);
    // Checked here for a clear message; the foreign key from users still guards against races.
    if (await tx.roles.isInUse(principal.account, id)) {
      throw conflict("access.role.inUse", "The role is held by a user and cannot be deleted.");
    }
    return role;
  }),

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
    return deps.store.transaction((tx) => writeRecord(deps, tx, principal, ROLE, "created", role));
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
      return writeRecord(deps, tx, principal, ROLE, "updated", role);
    });
  },
});
