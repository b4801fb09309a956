import { z } from "zod";
import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { uuid } from "../shared/names.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import { canAccessTwin } from "../twins/index.js";
import type { Twin } from "../twins/index.js";
import { identityName } from "./identity.js";
import { isVisible } from "./visibility.js";

/**
 * Whose identities count: `personal` (the caller's account's, the default), `system` (every
 * identity the caller may see), or one or more account ids (those accounts' identities the caller may see).
 */
export type ResolveContext = "personal" | "system" | string | string[];

export interface ResolveResult {
  /** Ids of the twins carrying a visible, valid identity with that name; sorted, no duplicates. */
  twins: string[];
  /** With `details`: those of the twins the caller may access, sorted by id. */
  details?: Twin[];
}

export const MAX_RESOLVE_ACCOUNTS = 100;

export const resolveSchema = z.strictObject({
  name: identityName,
  context: z
    .union([z.literal("personal"), z.literal("system"), uuid, z.array(uuid).min(1).max(MAX_RESOLVE_ACCOUNTS)])
    .optional(),
  /** Also return the twins themselves, only those the caller's role may reach (default false). */
  details: z.boolean().optional(),
});
export type ResolveInput = InputOf<typeof resolveSchema>;

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
    const candidates = await deps.store.read.identities.resolveCandidates({
      name: input.name,
      caller: principal.account,
      owners,
      now,
    });
    const twins = new Map<string, Twin>();
    for (const { identity, twin } of candidates) {
      if (!twins.has(twin.id) && isVisible(principal, identity, twin, now)) twins.set(twin.id, twin);
    }
    const ids = [...twins.keys()].sort();
    if (!input.details) return { twins: ids };
    return { twins: ids, details: ids.map((id) => twins.get(id)!).filter((twin) => canAccessTwin(principal, twin, now)) };
  };
