import { z } from "zod";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Any JSON value (finite numbers only: JSON has no NaN or Infinity). */
export const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().finite(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

/** Keys of twin and user descriptions (Trusted Twin's rule). */
export const DESCRIPTION_KEY = /^[a-z_][0-9a-z_]{0,63}$/;

export const description = z
  .record(z.string().regex(DESCRIPTION_KEY, "description keys must match ^[a-z_][0-9a-z_]{0,63}$"), jsonValue)
  .nullable();
