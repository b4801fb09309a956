import { forbidden, notFound } from "../errors.js";
import type { Repositories } from "../storage.js";
import type { Principal } from "./principal.js";
import type { Role } from "./role.js";
import { isWithin, type Statement } from "./statement.js";
import type { User } from "./user.js";

/**
 * No privilege escalation: the caller may only create, assign, change or remove roles (and manage
 * users and secrets) whose statement permits nothing the caller's own statement does not.
 */
export function assertWithinCaller(principal: Principal, statement: Statement): void {
  if (!isWithin(statement, principal.statement)) {
    throw forbidden("access.privilegeEscalation", "The role would permit actions the calling user does not have.");
  }
}

export const roleNotFound = () => notFound("access.role.notFound", "Role not found.");
export const userNotFound = () => notFound("access.user.notFound", "User not found.");

export async function findRole(tx: Pick<Repositories, "roles">, principal: Principal, id: string): Promise<Role> {
  const role = await tx.roles.get(principal.account, id);
  if (!role) throw roleNotFound();
  return role;
}

export async function findUser(tx: Pick<Repositories, "users">, principal: Principal, id: string): Promise<User> {
  const user = await tx.users.get(principal.account, id);
  if (!user) throw userNotFound();
  return user;
}

/** A user may be managed only by callers whose permissions cover the user's role. */
export async function findManageableUser(tx: Pick<Repositories, "users" | "roles">, principal: Principal, id: string): Promise<User> {
  const user = await findUser(tx, principal, id);
  assertWithinCaller(principal, (await findRole(tx, principal, user.role)).statement);
  return user;
}
