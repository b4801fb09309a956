import { z } from "@hono/zod-openapi";
import { collectPages, MAX_PAGE_SIZE, type Core, type Principal, type ResolveContext, type ResolveInput, type ResolveResult } from "@idhub/core";
import { capNote, REST_LIST_CAP } from "../../http/list-cap.js";
import { route } from "../../http/route-table.js";
import { queryBoolean } from "../wire.js";
import { identityName } from "./identities.js";
import { renderTwin, twinObject } from "./twins.js";

const resolveQuery = z.object({
  context: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({
      description:
        "personal (default), system, or account UUIDs: repeated (`context=a&context=b`) or comma-separated.",
    }),
  details: queryBoolean.optional().openapi({ description: "Default false; true answers the twins themselves." }),
});

const resolved = z
  .object({
    twins: z.union([z.array(z.string()), z.record(z.string(), twinObject)]).openapi({
      description: "Twin UUIDs, sorted; with details=true a map from UUID to the twin, only for twins the caller may access.",
    }),
  })
  .openapi("TrustedTwinResolved");

/** `context=a,b&context=c` → `[a, b, c]`; one value stays a string (personal, system or one account). */
function contextOf(raw: string | string[] | undefined): ResolveContext | undefined {
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((value) => value.split(",")).map((value) => value.trim());
  return values.length === 1 ? values[0] : values;
}

/** Every page of a resolve (Trusted Twin's answer has no continuation), up to REST_LIST_CAP twins. */
async function resolveAll(core: Core, principal: Principal, input: ResolveInput): Promise<ResolveResult> {
  const pages = await collectPages(REST_LIST_CAP, "twins", (page: ResolveResult) => page.twins.length, (cursor) =>
    core.identities.resolve(principal, { ...input, ...(cursor !== undefined ? { cursor } : {}), limit: MAX_PAGE_SIZE }),
  );
  if (pages.length === 1) return pages[0]!;
  const details = input.details ? { details: pages.flatMap((page) => page.details ?? []) } : {};
  return { twins: pages.flatMap((page) => page.twins), ...details, nextCursor: null };
}

const renderResolved = (result: ResolveResult) =>
  result.details ? { twins: Object.fromEntries(result.details.map((twin) => [twin.id, renderTwin(twin)])) } : { twins: result.twins };

export const resolveRoutes = [
  route({
    method: "get",
    path: "/resolve/{identity}",
    action: "resolve_twin_identity",
    summary: "Resolve an identity to twins",
    description:
      "The twins carrying a valid identity of that name visible to the caller: the caller's account's own (personal), " +
      "every visible one (system), or those of the given accounts. An unknown or invisible name answers `{\"twins\": []}`." +
      capNote("twins", "identities.resolve", "/ 400141"),
    params: z.object({ identity: identityName }),
    query: resolveQuery,
    status: 200,
    response: resolved,
    handle: ({ core, principal, params, query }) => resolveAll(core, principal, { name: params.identity, context: contextOf(query.context), details: query.details }),
    render: renderResolved,
  }),
];
