import { z } from "@hono/zod-openapi";

type JsonSchema = Parameters<z.ZodType["openapi"]>[1] & { required?: string[] };

const requiredBodies = new WeakSet<z.ZodType>();

/**
 * A request body core validates (with its own, upstream-compatible messages), documented by a JSON
 * Schema. The surfaces' body readers only hand on objects or arrays, so the zod side accepts exactly
 * those: a base admitting `null` (z.unknown) made zod-to-openapi add `type: [object, null]` beside
 * the reference on reuse, and code generators then typed the body as one no value satisfies.
 */
export function documentedBody(name: string, schema: JsonSchema): z.ZodType {
  const documented = z.custom<unknown>((value) => typeof value === "object" && value !== null).openapi(name, schema);
  if ((schema.required?.length ?? 0) > 0) requiredBodies.add(documented);
  return documented;
}

/** Is a request body required, as the document should say? Yes when `{}` (what an empty body reads as) is not valid. */
export const isBodyRequired = (schema: z.ZodType): boolean => requiredBodies.has(schema) || !schema.safeParse({}).success;
