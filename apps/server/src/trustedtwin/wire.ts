import { z } from "@hono/zod-openapi";
import type { JsonValue } from "@idhub/core";

// Trusted Twin's wire conventions: snake_case, timestamps as epoch SECONDS with at most 3 decimals.
// Core speaks epoch milliseconds; these helpers are the only place the two meet.

/** Epoch ms → epoch seconds (3 decimals at most, as a JSON number). */
export const seconds = (ms: number): number => Math.round(ms) / 1000;
export const secondsOrNull = (ms: number | null): number | null => (ms === null ? null : seconds(ms));

/** Epoch seconds → epoch ms, rounded to the millisecond; null and absent pass through. */
export function millis<T extends null | undefined>(value: number | T): number | T {
  return typeof value === "number" ? Math.round(value * 1000) : value;
}

/** Any UUID spelling (8-4-4-4-12 hex digits, either case), like core's check. */
export const uuidString = z.guid({ error: "must be a UUID" });

export const timestamp = z.number().openapi({ description: "Epoch seconds, at most 3 decimals.", example: 1608591123.123 });

/** Any JSON value. Core validates it in depth; a recursive schema would overflow the document generator. */
export const anyJson = z
  .custom<JsonValue>(() => true)
  .openapi("JsonValue", {
    description: "Any JSON value.",
    type: ["object", "array", "string", "number", "boolean", "null"],
  });

/** A description object: keys `^[a-z_][0-9a-z_]{0,63}$` (checked by core), values any JSON. */
export const jsonObject = z.record(z.string(), anyJson);

const TRUE = new Set(["true", "True", "1"]);
/** Trusted Twin clients spell booleans true/false (JS), True/False (Python) or 1/0. */
export const queryBoolean = z
  .enum(["true", "false", "True", "False", "1", "0"], { error: "must be true or false" })
  .transform((value) => TRUE.has(value))
  .openapi({ type: "boolean" });

export const errorBody = z
  .object({
    subcode: z.number().int().openapi({ example: 404653 }),
    description: z.string(),
    trace: z.string().openapi({ description: "Identifies this error instance (quote it to support)." }),
  })
  .openapi("TrustedTwinError");
