import { z } from "zod";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Deepest nesting accepted in a JSON value (the recursive schema below would overflow the stack long before 10,000). */
export const MAX_JSON_DEPTH = 512;

/** Whether arrays/objects nest deeper than `limit`, found without recursion (hostile depth cannot overflow the stack). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop()!;
    if (next === null || typeof next !== "object") continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(next) ? next : Object.values(next)) pending.push([child, depth + 1]);
  }
  return false;
}

const jsonTree: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().finite(),
    z.boolean(),
    z.null(),
    z.array(jsonTree),
    z.record(z.string(), jsonTree),
  ]),
);

/** Any JSON value (finite numbers only: JSON has no NaN or Infinity), nested at most MAX_JSON_DEPTH levels. */
export const jsonValue: z.ZodType<JsonValue> = z
  .unknown()
  .refine((value) => !nestedDeeperThan(value, MAX_JSON_DEPTH), { message: `must be nested at most ${MAX_JSON_DEPTH} levels deep`, abort: true })
  .pipe(jsonTree);

/** Keys of twin and user descriptions (Trusted Twin's rule). */
export const DESCRIPTION_KEY = /^[a-z_][0-9a-z_]{0,63}$/;

export const description = z
  .record(z.string().regex(DESCRIPTION_KEY, "description keys must match ^[a-z_][0-9a-z_]{0,63}$"), jsonValue)
  .nullable();
