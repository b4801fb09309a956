import { z } from "zod";
import type { CoreDeps } from "../deps.js";
import type { DomainError } from "../errors.js";
import { newEvent } from "../events/new-event.js";
import { uuid } from "../shared/names.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import type { Repositories } from "../storage.js";
import type { Action } from "./actions.js";
import { authorize } from "./authorize.js";
import type { Principal } from "./principal.js";
import type { AccountRecords } from "./repositories.js";

// Users and roles are both account records (the `AccountRecords` port): read by id within the
// caller's account, listed whole, and every write appends `<kind>.<created|updated|deleted>`.
// What their use cases share is here; what differs (privilege checks, defaults) stays in
// users.ts and roles.ts.

const idSchema = z.strictObject({ id: uuid });
export type IdInput = InputOf<typeof idSchema>;

export interface RecordKind<R extends { id: string }> {
  /** The event types' prefix. */
  event: "user" | "role";
  records(repos: Repositories): AccountRecords<R>;
  /** The caller's account's record, else the kind's NOT_FOUND (guards.ts). */
  find(repos: Repositories, principal: Principal, id: string): Promise<R>;
  notFound(): DomainError;
}

/**
 * `list`, `get` and `delete`, each behind its own action. `deletable` finds the record to delete
 * and throws when the caller may not delete it.
 */
export const recordUseCases = <R extends { id: string }>(
  deps: CoreDeps,
  kind: RecordKind<R>,
  actions: { list: Action; get: Action; delete: Action },
  deletable: (tx: Repositories, principal: Principal, id: string) => Promise<R>,
) => ({
  async list(principal: Principal): Promise<R[]> {
    authorize(principal, actions.list);
    return kind.records(deps.store.read).list(principal.account);
  },

  async get(principal: Principal, raw: IdInput): Promise<R> {
    authorize(principal, actions.get);
    const { id } = parseInput(idSchema, raw);
    return kind.find(deps.store.read, principal, id);
  },

  async delete(principal: Principal, raw: IdInput): Promise<R> {
    authorize(principal, actions.delete);
    const { id } = parseInput(idSchema, raw);
    return deps.store.transaction(async (tx) => writeRecord(deps, tx, principal, kind, "deleted", await deletable(tx, principal, id)));
  },
});

/**
 * Inserts, replaces or deletes the record in the transaction `tx` and appends its event there.
 * A replace that finds nothing (a concurrent delete) is the kind's NOT_FOUND.
 */
export async function writeRecord<R extends { id: string }>(
  deps: CoreDeps,
  tx: Repositories,
  principal: Principal,
  kind: RecordKind<R>,
  change: "created" | "updated" | "deleted",
  record: R,
): Promise<R> {
  const records = kind.records(tx);
  if (change === "created") await records.insert(record);
  else if (change === "deleted") await records.delete(principal.account, record.id);
  else if (!(await records.update(record))) throw kind.notFound();
  await tx.events.append([newEvent(deps, principal.account, `${kind.event}.${change}`, record.id, principal.user)]);
  return record;
}
