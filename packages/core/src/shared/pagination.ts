import { DomainError } from "../errors.js";

/**
 * Keyset pagination, shared by every list use case (twins, identity metadata, …): page-size
 * bounds, and the opaque cursor — the last row's sort key as a JSON array, base64url. Each area
 * checks the decoded key's shape itself and throws its own surface's error for a foreign cursor.
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export type CursorKey = readonly (string | number)[];

export const encodeCursor = (key: CursorKey): string => Buffer.from(JSON.stringify(key), "utf8").toString("base64url");

/** The decoded JSON of a cursor, or undefined when it is not base64url JSON at all. */
export function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * One page of rows read with `limit + 1` (the extra row only says that more follow), and the
 * cursor to the next page, or null on the last page.
 */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (last: T) => CursorKey): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** Keyset position in a list ordered by (time, id): the last row of the previous page or chunk. */
export interface ListPosition {
  at: number;
  id: string;
}
/** What a repository's keyset list reads: rows strictly after `after`, at most `limit`. */
export interface KeysetPage {
  after?: ListPosition | undefined;
  limit: number;
}

/** A page of a keyset-paginated list, as every list use case answers it. */
export interface Page<T> {
  items: T[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/** Rows read per chunk, and at most how many one page may examine, when a filter runs here. */
const SCAN_CHUNK = 200;
export const MAX_SCANNED_PER_PAGE = 2_000;

/**
 * A page of a keyset-ordered source whose filter runs in core (per-caller views: a relationship's
 * peer and status depend on who asks). Reads chunks after `after` until `limit + 1` items match or
 * the source ends. So one page never examines more than MAX_SCANNED_PER_PAGE rows, a page may hold
 * fewer than `limit` items (even none) and still carry a cursor: the key of the last row examined.
 * Following the cursors yields every matching item exactly once.
 */
export async function filteredPage<R, V, K extends CursorKey>(source: {
  limit: number;
  after: K | undefined;
  /** Rows ordered by key, strictly after `after`, at most `count`. */
  read(after: K | undefined, count: number): Promise<R[]>;
  keyOf(row: R): K;
  /** The caller's views of the rows, in the same order. */
  view(rows: R[]): Promise<V[]>;
  matches(item: V): boolean;
}): Promise<Page<V>> {
  const items: Array<{ item: V; key: K }> = [];
  let after = source.after;
  for (let scanned = 0; ; ) {
    const rows = await source.read(after, SCAN_CHUNK);
    const views = await source.view(rows);
    for (let i = 0; i < rows.length; i++) {
      if (!source.matches(views[i]!)) continue;
      items.push({ item: views[i]!, key: source.keyOf(rows[i]!) });
      if (items.length > source.limit) {
        return { items: items.slice(0, source.limit).map((m) => m.item), nextCursor: encodeCursor(items[source.limit - 1]!.key) };
      }
    }
    if (rows.length < SCAN_CHUNK) return { items: items.map((m) => m.item), nextCursor: null };
    after = source.keyOf(rows.at(-1)!);
    scanned += rows.length;
    if (scanned >= MAX_SCANNED_PER_PAGE) return { items: items.map((m) => m.item), nextCursor: encodeCursor(after) };
  }
}

/**
 * For REST surfaces whose upstream list has no pagination (Trusted Twin's users, roles and resolve;
 * the Connector's templates and relationships): reads a list's pages in order and answers every
 * item, or — past `cap` items — refuses with TOO_LARGE `list.tooLarge` (Trusted Twin 400141,
 * Connector 400 `error.runtime.list.tooLarge`) instead of an unbounded answer.
 */
export async function collectPages<P extends { nextCursor: string | null }>(
  cap: number,
  what: string,
  sizeOf: (page: P) => number,
  readPage: (cursor: string | undefined) => Promise<P>,
): Promise<P[]> {
  const pages: P[] = [];
  let total = 0;
  for (let cursor: string | undefined; ; ) {
    const page = await readPage(cursor);
    pages.push(page);
    total += sizeOf(page);
    if (total > cap) throw listTooLarge(cap, what);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
}

export const listTooLarge = (cap: number, what: string) =>
  new DomainError(
    "TOO_LARGE",
    "list.tooLarge",
    `More than ${cap} ${what}: this list answers at most ${cap}. Narrow it with its filters, or page through it with the tRPC procedure's cursor.`,
    { cap },
  );
