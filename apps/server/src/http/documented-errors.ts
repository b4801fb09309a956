import type { z } from "zod";

/** A documented response header (OpenAPI header object). */
export interface HeaderDoc {
  description: string;
  schema: { type: "string" | "integer" };
}

export const RETRY_AFTER: Record<string, HeaderDoc> = {
  "Retry-After": {
    description: "Only when the client is throttled (too many failed logins): seconds until it may try again.",
    schema: { type: "integer" },
  },
};
export const ALLOW: Record<string, HeaderDoc> = {
  Allow: { description: "The methods this path does answer.", schema: { type: "string" } },
};

export interface ErrorResponseDoc {
  description: string;
  headers?: Record<string, HeaderDoc>;
  content: { "application/json": { schema: z.ZodType; example: unknown } };
}

/** One documented failure: the surface's envelope, a realistic example, and any headers it carries. */
export const errorResponse = (schema: z.ZodType, description: string, example: unknown, headers?: Record<string, HeaderDoc>): ErrorResponseDoc => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema, example } },
});
