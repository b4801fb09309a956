import { z } from "zod";
import type { CoreDeps } from "../deps.js";
import { conflict } from "../errors.js";
import { description } from "../shared/json.js";
import { userOrRoleName, uuid } from "../shared/names.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import { recordUseCases, writeRecord, type RecordKind } from "./account-records.js";
import { authorize } from "./authorize.js";
import { assertWithinCaller, findManageableUser, findRole, findUser, userNotFound } from "./guards.js";
import type { Principal } from "./principal.js";
import type { User } from "./user.js";

const createSchema = z.strictObject({
  role: uuid,
  name: userOrRoleName.nullable().optional(),
  description: description.optional(),
});
/** Merge patch: an absent field is unchanged, a present one (null included) replaces. */
const updateSchema = z.strictObject({
  id: uuid,
  role: uuid.optional(),
  name: userOrRoleName.nullable().optional(),
  description: description.optional(),
});

export type CreateUserInput = InputOf<typeof createSchema>;
export type UpdateUserInput = InputOf<typeof updateSchema>;

const USER: RecordKind<User> = { event: "user", records: (repos) => repos.users, find: findUser, notFound: userNotFound };

export const userUseCases = (deps: CoreDeps) => ({
  ...recordUseCases(deps, USER, { list: "get_users", get: "get_user", delete: "delete_user" }, async (tx, principal, id) => {
    const user = await findManageableUser(tx, principal, id);
    // Deleting oneself would lock the caller out mid-request; another user must do it.
    if (user.id === principal.user) throw conflict("access.user.isCaller", "A user cannot delete itself.");
    return user;
  }),

  async create(principal: Principal, raw: CreateUserInput): Promise<User> {
    authorize(principal, "create_user");
    const input = parseInput(createSchema, raw);
    return deps.store.transaction(async (tx) => {
      assertWithinCaller(principal, (await findRole(tx, principal, input.role)).statement);
      const now = deps.clock.now();
      const user: User = {
        id: deps.ids.uuid(),
        account: principal.account,
        role: input.role,
        name: input.name ?? null,
        description: input.description ?? null,
        createdAt: now,
        updatedAt: now,
      };
      return writeRecord(deps, tx, principal, USER, "created", user);
    });
  },

  async update(principal: Principal, raw: UpdateUserInput): Promise<User> {
    authorize(principal, "update_user");
    const input = parseInput(updateSchema, raw);
    return deps.store.transaction(async (tx) => {
      const current = await findManageableUser(tx, principal, input.id);
      if (input.role !== undefined) assertWithinCaller(principal, (await findRole(tx, principal, input.role)).statement);
      const user: User = {
        ...current,
        role: input.role ?? current.role,
        name: input.name !== undefined ? input.name : current.name,
        description: input.description !== undefined ? input.description : current.description,
        updatedAt: deps.clock.now(),
      };
      return writeRecord(deps, tx, principal, USER, "updated", user);
    });
  },
});
