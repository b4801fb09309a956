import { z } from "zod";
import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { uuid } from "../shared/names.js";
import { invalid } from "../errors.js";
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, MAX_PAGE_SIZE } from "../shared/pagination.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import { canAccessTwin } from "../twins/index.js";
import type { Twin } from "../twins/index.js";
import { identityName } from "./identity.js";
import type { ResolveQuery } from "./repository.js";
import { isVisible } from "./visibility.js";

/**
 * Whose identities count: `personal` (the caller's account's, the default), `system` (every
 * identity the caller may see), or one or more account ids (those accounts' identities the caller may see).
 */
export type ResolveContext = "personal" | "system" | string | string[];

export interface ResolveResult {
  /** Ids of the twins carrying a visible, valid identity with that name; sorted, no duplicates (this page). */
  twins: string[];
  /** With `details`: those of the page's twins the caller may access, sorted by id. */
  details?: Twin[];
  /** The next page (twins after this page's last id), or null on the last page. */
  nextCursor: string | null;
}

export const MAX_RESOLVE_ACCOUNTS = 100;

export const resolveSchema = z.strictObject({
  name: identityName,
  context: z
    .union([z.literal("personal"), z.literal("system"), uuid, z.array(uuid).min(1).max(MAX_RESOLVE_ACCOUNTS)])
    .optional(),
  /** Also return the twins themselves, only those the caller's role may reach (default false). */
  details: z.boolean().optional(),
  /** Opaque, from a previous page's `nextCursor`. */
  cursor: z.string().max(200).nullable().optional(),
  /** Twins per page: 1–100, default 50. */
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});
export type ResolveInput = InputOf<typeof resolveSchema>;

/** Candidate rows read per query: a page reads chunks until it has `limit + 1` distinct visible twins. */
const CHUNK = 200;

/**
 * Name → twins. The storage answers from an index on the name with the owner, expiry and
 * public/private filters in SQL; the visibility rules of the remaining candidates run here, compiled
 * once per distinct rule text. Unknown or invisible names resolve to nothing (never an error).
 */
export const resolveUseCase = (deps: CoreDeps) =>
  async function resolve(principal: Principal, raw: ResolveInput): Promise<ResolveResult> {
    authorize(principal, "resolve_twin_identity");
    const input = parseInput(resolveSchema, raw);
    const context = input.context ?? "personal";
    const owners =
      context === "personal"
        ? [principal.account]
        : context === "system"
          ? ("any" as const)
          : [...new Set(Array.isArray(context) ? context.map((a) => a.toLowerCase()) : [context.toLowerCase()])];
    const now = deps.clock.now();
    const limit = input.limit ?? DEFAULT_PAGE_SIZE;
    const twins = new Map<string, Twin>();
    let after: ResolveQuery["after"] = input.cursor ? { twin: decodeResolveCursor(input.cursor) } : undefined;
    // Twins in id order; a twin is visible when any of its candidates is. Rows come in (twin, owner)
    // order, so a twin split over two chunks is finished by the next one.
    for (;;) {
      const candidates = await deps.store.read.identities.resolveCandidates({ name: input.name, caller: principal.account, owners, now, after, limit: CHUNK });
      for (const { identity, twin } of candidates) {
        if (!twins.has(twin.id) && isVisible(principal, identity, twin, now)) twins.set(twin.id, twin);
        if (twins.size > limit) break;
      }
      const last = candidates.at(-1);
      if (twins.size > limit || candidates.length < CHUNK || !last) break;
      after = { twin: last.twin.id, owner: last.identity.owner };
    }
    const ids = [...twins.keys()].slice(0, limit);
    const nextCursor = twins.size > limit ? encodeCursor([ids.at(-1)!]) : null;
    if (!input.details) return { twins: ids, nextCursor };
    return { twins: ids, details: ids.map((id) => twins.get(id)!).filter((twin) => canAccessTwin(principal, twin, now)), nextCursor };
  };

const resolveCursor = z.tuple([uuid]);

function decodeResolveCursor(cursor: string): string {
  const parsed = resolveCursor.safeParse(decodeCursor(cursor));
  if (!parsed.success) throw invalid("validation.invalidInput", "cursor: not a cursor of this list", { path: ["cursor"] });
  return parsed.data[0];
}
