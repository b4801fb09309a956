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
