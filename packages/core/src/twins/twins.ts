import { z } from "zod";
import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { conflict, forbidden, invalid, notFound } from "../errors.js";
import { newEvent } from "../events/new-event.js";
import { description } from "../shared/json.js";
import { uuid, version } from "../shared/names.js";
import { quotaOf, withinQuota } from "../shared/quotas.js";
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, MAX_PAGE_SIZE, pageOf } from "../shared/pagination.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import { assertVersion, findTwin } from "./guards.js";
import type { TwinListPosition } from "./repository.js";
import { assertTwinAccessible, canAccessTwin } from "./rule-context.js";
import { TWIN_STATUSES, type Twin } from "./twin.js";

export interface TwinPage {
  items: Twin[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export const createTwinSchema = z.strictObject({ description: description.optional() });
export const getTwinSchema = z.strictObject({
  id: uuid,
  /** Default true; false answers NOT_FOUND for a terminated twin. */
  showTerminated: z.boolean().optional(),
});
/** Merge patch: an absent description is unchanged; a present one (null included) replaces it. */
export const updateTwinSchema = z.strictObject({
  id: uuid,
  description: description.optional(),
  expectedVersion: version.optional(),
});
export const terminateTwinSchema = z.strictObject({ id: uuid, expectedVersion: version.optional() });
export const listTwinsSchema = z.strictObject({
  status: z.enum(TWIN_STATUSES).optional(),
  /** Opaque, from a previous page's `nextCursor`. */
  cursor: z.string().max(200).nullable().optional(),
  /** 1–100, default 50. */
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});

export type CreateTwinInput = InputOf<typeof createTwinSchema>;
export type GetTwinInput = InputOf<typeof getTwinSchema>;
export type UpdateTwinInput = InputOf<typeof updateTwinSchema>;
export type TerminateTwinInput = InputOf<typeof terminateTwinSchema>;
export type ListTwinsInput = InputOf<typeof listTwinsSchema>;

const notOwner = () => forbidden("twin.notOwner", "Only the twin's owner may change it.");

/**
 * Update and terminate: in one transaction, the twin reachable by the role, owned by the caller, at
 * the expected version; `change` checks its status and returns the changed fields; the result is
 * stored as the next version and its event appended.
 */
async function changeTwin(
  deps: CoreDeps,
  principal: Principal,
  input: { id: string; expectedVersion?: number | undefined },
  event: "twin.updated" | "twin.terminated",
  change: (current: Twin, now: number) => Partial<Twin>,
): Promise<Twin> {
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const current = await findTwin(tx, input.id, true);
    assertTwinAccessible(principal, current, now);
    if (current.owner !== principal.account) throw notOwner();
    assertVersion(current, input.expectedVersion);
    const twin: Twin = { ...current, ...change(current, now), updatedAt: now, version: current.version + 1 };
    if (!(await tx.twins.update(twin))) throw notFound("twin.notFound", "Twin not found.");
    await tx.events.append([newEvent(deps, twin.owner, event, twin.id, principal.user, { version: twin.version })]);
    return twin;
  });
}

export const twinUseCases = (deps: CoreDeps) => ({
  async create(principal: Principal, raw: CreateTwinInput = {}): Promise<Twin> {
    authorize(principal, "create_twin");
    const input = parseInput(createTwinSchema, raw ?? {});
    const now = deps.clock.now();
    const twin: Twin = {
      id: deps.ids.uuid(),
      owner: principal.account,
      status: "alive",
      description: input.description ?? null,
      creator: principal.account,
      createdAt: now,
      updatedAt: now,
      terminatedAt: null,
      terminatedBy: null,
      version: 1,
    };
    return deps.store.transaction(async (tx) => {
      await tx.twins.insert(twin);
      const limit = quotaOf(deps.config, "twins");
      withinQuota("twins", await tx.twins.countOwned(twin.owner), limit);
      await tx.events.append([newEvent(deps, twin.owner, "twin.created", twin.id, principal.user, { version: twin.version })]);
      return twin;
    });
  },

  async get(principal: Principal, raw: GetTwinInput): Promise<Twin> {
    authorize(principal, "get_twin");
    const input = parseInput(getTwinSchema, raw);
    const twin = await findTwin(deps.store.read, input.id);
    if (twin.status === "terminated" && input.showTerminated === false) throw notFound("twin.notFound", "Twin not found.");
    assertTwinAccessible(principal, twin, deps.clock.now());
    return twin;
  },

  async update(principal: Principal, raw: UpdateTwinInput): Promise<Twin> {
    authorize(principal, "update_twin");
    const input = parseInput(updateTwinSchema, raw);
    return changeTwin(deps, principal, input, "twin.updated", (current) => {
      if (current.status !== "alive") throw conflict("twin.terminated", "Twin is terminated: its description cannot change.");
      return input.description !== undefined ? { description: input.description } : {};
    });
  },

  async terminate(principal: Principal, raw: TerminateTwinInput): Promise<Twin> {
    authorize(principal, "terminate_twin");
    const input = parseInput(terminateTwinSchema, raw);
    return changeTwin(deps, principal, input, "twin.terminated", (current, now) => {
      if (current.status === "terminated") throw invalid("twin.alreadyTerminated", "Twin already terminated.");
      return { status: "terminated", terminatedAt: now, terminatedBy: principal.account };
    });
  },

  /**
   * The caller's account's own twins, oldest first, keyset-paginated. Twins the caller's role
   * `twinRule` denies are left out of a page (so a page may hold fewer than `limit`); the cursor
   * still moves past them.
   */
  async list(principal: Principal, raw: ListTwinsInput = {}): Promise<TwinPage> {
    authorize(principal, "get_twin");
    const input = parseInput(listTwinsSchema, raw ?? {});
    const limit = input.limit ?? DEFAULT_PAGE_SIZE;
    const after = input.cursor ? decodeTwinCursor(input.cursor) : undefined;
    const rows = await deps.store.read.twins.listOwned({ owner: principal.account, status: input.status, after, limit: limit + 1 });
    const { page, nextCursor } = pageOf(rows, limit, (last) => [last.createdAt, last.id]);
    const now = deps.clock.now();
    return { items: page.filter((twin) => canAccessTwin(principal, twin, now)), nextCursor };
  },
});

/** The cursor after `position` in an owner's twin list (shared/pagination.ts). */
export const encodeTwinCursor = (position: TwinListPosition): string => encodeCursor([position.createdAt, position.id]);

const cursorSchema = z.tuple([z.number().int().nonnegative(), uuid]);

export function decodeTwinCursor(cursor: string): TwinListPosition {
  const parsed = cursorSchema.safeParse(decodeCursor(cursor));
  if (!parsed.success) throw invalid("validation.invalidInput", "cursor: not a cursor of this list", { path: ["cursor"] });
  return { createdAt: parsed.data[0], id: parsed.data[1] };
}
