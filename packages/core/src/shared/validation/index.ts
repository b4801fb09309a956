import type { z } from "zod";
import type { RuntimeSchema } from "./runtime-schema.js";
import { parseWithZod } from "./zod-input.js";

// The one way a use case validates its raw input: `parseInput(schema, raw)`, right after
// `authorize` (core decides; the HTTP layer only reshapes). Two message dialects behind it:
//  - zod schemas (access, twins, identities): `<path>: <message>`, code `validation.invalidInput`;
//  - runtime schemas (relationships, templates, identity metadata): the enmeshed runtime's ajv
//    messages, code `error.runtime.validation.invalidPropertyValue` (runtime-schema.ts).
// Either way the input type is inferred from the schema.

export type InputSchema = z.ZodType | RuntimeSchema<unknown>;
export type InputOf<S> = S extends z.ZodType ? z.output<S> : S extends RuntimeSchema<infer T> ? T : never;

export function parseInput<S extends InputSchema>(schema: S, input: unknown): InputOf<S> {
  const runtime = (schema as Partial<RuntimeSchema<unknown>>).dialect === "runtime";
  return (runtime ? (schema as RuntimeSchema<unknown>).parse(input) : parseWithZod(schema as z.ZodType, input)) as InputOf<S>;
}

export { INVALID_PROPERTY_VALUE, invalidProperty } from "./invalid-property.js";
export { runtimeSchema, type FromSchema, type JsonSchema, type ObjectSchema, type RuntimeSchema } from "./runtime-schema.js";
