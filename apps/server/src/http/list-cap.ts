import { collectPages, MAX_PAGE_SIZE, type Page } from "@idhub/core";

/**
 * The documented maximum of the REST lists whose upstream has no pagination — Trusted Twin's
 * `GET /users`, `GET /roles` and `GET /resolve/{identity}`, the Connector's template and
 * relationship lists. Their answers keep the upstream shape (a plain map or array), so there is no
 * place for a continuation: past the cap the surface answers its documented 400 (Trusted Twin
 * 400141 quota_violation, Connector `error.runtime.list.tooLarge`) instead of an unbounded answer.
 * The tRPC procedure of each list pages through every item with a cursor.
 */
export const REST_LIST_CAP = 1000;

/** The sentence every capped route's OpenAPI description ends with. */
export const capNote = (what: string, procedure: string, error: string) =>
  ` At most ${REST_LIST_CAP} ${what}; more → 400 ${error} (narrow the request, or page with the tRPC \`${procedure}\` cursor).`;

/** Every item of a core list, read page by page (MAX_PAGE_SIZE), or the cap's error past REST_LIST_CAP. */
export async function allItems<T>(what: string, readPage: (page: { cursor?: string; limit: number }) => Promise<Page<T>>): Promise<T[]> {
  const pages = await collectPages(REST_LIST_CAP, what, (page: Page<T>) => page.items.length, (cursor) =>
    readPage({ ...(cursor !== undefined ? { cursor } : {}), limit: MAX_PAGE_SIZE }),
  );
  return pages.flatMap((page) => page.items);
}
