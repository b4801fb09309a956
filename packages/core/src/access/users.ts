import { z } from "zod";
import type { CoreDeps } from "../deps.js";
import { conflict, notFound } from "../errors.js";
import { newEvent } from "../events/new-event.js";
import { description, type JsonObject } from "../shared/json.js";
import { userOrRoleName, uuid } from "../shared/names.js";
import { parseInput } from "../shared/validation/index.js";
import { authorize } from "./authorize.js";
import { assertWithinCaller, findManageableUser, findRole, findUser } from "./guards.js";
import type { Principal } from "./principal.js";
import type { User } from "./user.js";

export interface CreateUserInput {
  role: string;
  name?: string | null | undefined;
  description?: JsonObject | null | undefined;
}
/** Merge patch: an absent field is unchanged, a present one (null included) replaces. */
export interface UpdateUserInput {
  id: string;
  role?: string | undefined;
  name?: string | null | undefined;
  description?: JsonObject | null | undefined;
}
export interface IdInput {
  id: string;
}

const createSchema = z.strictObject({
  role: uuid,
  name: userOrRoleName.nullable().optional(),
  description: description.optional(),
});
const updateSchema = z.strictObject({
  id: uuid,
  role: uuid.optional(),
  name: userOrRoleName.nullable().optional(),
  description: description.optional(),
});
export const idSchema = z.strictObject({ id: uuid });

export const userUseCases = (deps: CoreDeps) => ({
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
      await tx.users.insert(user);
      await tx.events.append([newEvent(deps, principal.account, "user.created", user.id, principal.user)]);
      return user;
    });
  },

  async list(principal: Principal): Promise<User[]> {
    authorize(principal, "get_users");
    return deps.store.read.users.list(principal.account);
  },

  async get(principal: Principal, raw: IdInput): Promise<User> {
    authorize(principal, "get_user");
    const { id } = parseInput(idSchema, raw);
    return findUser(deps.store.read, principal, id);
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
      if (!(await tx.users.update(user))) throw notFound("access.user.notFound", "User not found.");
      await tx.events.append([newEvent(deps, principal.account, "user.updated", user.id, principal.user)]);
      return user;
    });
  },

  async delete(principal: Principal, raw: IdInput): Promise<User> {
    authorize(principal, "delete_user");
    const { id } = parseInput(idSchema, raw);
    return deps.store.transaction(async (tx) => {
      const user = await findManageableUser(tx, principal, id);
      // Deleting oneself would lock the caller out mid-request; another user must do it.
      if (user.id === principal.user) throw conflict("access.user.isCaller", "A user cannot delete itself.");
      await tx.users.delete(principal.account, id);
      await tx.events.append([newEvent(deps, principal.account, "user.deleted", id, principal.user)]);
      return user;
    });
  },
});
