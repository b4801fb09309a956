import { z } from "zod";
import type { CoreDeps } from "../deps.js";
import { invalid, type DomainError } from "../errors.js";
import { newEvent } from "../events/new-event.js";
import { uuid } from "../shared/names.js";
import { decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageOf, type ListPosition, type Page } from "../shared/pagination.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import type { Repositories } from "../storage.js";
import type { Action } from "./actions.js";
import { authorize } from "./authorize.js";
import type { Principal } from "./principal.js";
import type { AccountRecords } from "./repositories.js";

// Users and roles are both account records (the `AccountRecords` port): read by id within the
// caller's account, listed page by page, and every write appends `<kind>.<created|updated|deleted>`.
// What their use cases share is here; what differs (privilege checks, defaults) stays in
// users.ts and roles.ts.

const idSchema = z.strictObject({ id: uuid });
export type IdInput = InputOf<typeof idSchema>;
/** `cursor`: a previous page's `nextCursor`; `limit` 1–100, default 50. */
const listSchema = z.strictObject({
  cursor: z.string().max(200).nullable().optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});
export type ListRecordsInput = InputOf<typeof listSchema>;

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
export const recordUseCases = <R extends { id: string; createdAt: number }>(
  deps: CoreDeps,
  kind: RecordKind<R>,
  actions: { list: Action; get: Action; delete: Action },
  deletable: (tx: Repositories, principal: Principal, id: string) => Promise<R>,
) => ({
  /** The caller's account's records, oldest first, keyset-paginated on (createdAt, id). */
  async list(principal: Principal, raw: ListRecordsInput = {}): Promise<Page<R>> {
    authorize(principal, actions.list);
    const input = parseInput(listSchema, raw ?? {});
    const limit = input.limit ?? DEFAULT_PAGE_SIZE;
    const after = input.cursor ? decodeRecordCursor(input.cursor) : undefined;
    const rows = await kind.records(deps.store.read).list(principal.account, { after, limit: limit + 1 });
    const { page, nextCursor } = pageOf(rows, limit, (last) => [last.createdAt, last.id]);
    return { items: page, nextCursor };
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

const cursorSchema = z.tuple([z.number().int().nonnegative(), uuid]);

function decodeRecordCursor(cursor: string): ListPosition {
  const parsed = cursorSchema.safeParse(decodeCursor(cursor));
  if (!parsed.success) throw invalid("validation.invalidInput", "cursor: not a cursor of this list", { path: ["cursor"] });
  return { at: parsed.data[0], id: parsed.data[1] };
}

/** Every record of an account, page after page (operator tools, which show an account whole). */
export async function allRecords<R extends { id: string; createdAt: number }>(records: AccountRecords<R>, account: string): Promise<R[]> {
  const all: R[] = [];
  for (let after: ListPosition | undefined; ; ) {
    const rows = await records.list(account, { after, limit: MAX_PAGE_SIZE });
    all.push(...rows);
    const last = rows.at(-1);
    if (rows.length < MAX_PAGE_SIZE || !last) return all;
    after = { at: last.createdAt, id: last.id };
  }
}

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
