import AjvModule from "ajv";
import ajvErrorsModule from "ajv-errors";
import { invalidProperty } from "./invalid-property.js";

/**
 * Request validation with the enmeshed runtime's own validator and messages: ajv 8 with
 * `allErrors`, `allowUnionTypes` and ajv-errors, the first error only, reported as
 * `error.runtime.validation.invalidPropertyValue` with the message `<instancePath without the
 * leading slash> <ajv message>`, every `"` removed, trimmed (connector-identity-metadata.md §2.1).
 * The messages therefore match upstream's by construction. One deliberate difference: patterns
 * match the whole string (api-connector.md), while the message shows upstream's pattern text.
 */

/** The JSON-schema subset the Connector's request schemas use. */
export type JsonSchema =
  | { readonly type?: undefined; readonly errorMessage?: string }
  | { readonly type: "string"; readonly pattern?: string; readonly minLength?: number; readonly maxLength?: number; readonly errorMessage?: string }
  | { readonly type: "number" | "integer"; readonly minimum?: number; readonly maximum?: number }
  | { readonly type: "boolean"; readonly const?: boolean }
  | ObjectSchema;

export interface ObjectSchema {
  readonly type: "object";
  readonly properties: { readonly [name: string]: JsonSchema };
  readonly required?: readonly string[];
  readonly additionalProperties?: false;
  /** ajv-errors: one message replacing every error of this object. */
  readonly errorMessage?: string;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The TypeScript type a schema accepts (so no input type is written twice). */
export type FromSchema<S> = S extends ObjectSchema
  ? Simplify<
      { -readonly [K in keyof S["properties"] & RequiredOf<S>]: FromSchema<S["properties"][K]> } & {
        -readonly [K in Exclude<keyof S["properties"], RequiredOf<S>>]?: FromSchema<S["properties"][K]> | undefined;
      }
    >
  : S extends { type: "string" }
    ? string
    : S extends { type: "number" | "integer" }
      ? number
      : S extends { type: "boolean"; const: true }
        ? true
        : S extends { type: "boolean" }
          ? boolean
          : unknown;
type RequiredOf<S extends ObjectSchema> = S["required"] extends readonly (infer R)[] ? R : never;

/** A compiled request schema; `parse` returns the input typed by the schema, or throws upstream's error. */
export interface RuntimeSchema<T> {
  readonly dialect: "runtime";
  readonly schema: ObjectSchema;
  parse(input: unknown): T;
}

/** Full-string matching, compiled once per pattern by ajv. */
const anchored = Object.assign((pattern: string, flags: string) => new RegExp(`^(?:${pattern})$`, flags), { code: "anchoredRegExp" });

const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;
const ajvErrors = ((ajvErrorsModule as unknown as { default?: unknown }).default ?? ajvErrorsModule) as typeof ajvErrorsModule;
// Created, and each schema compiled, on first use rather than at module load: ajv's code generation
// for the ~dozen Connector schemas (and ajv-errors' meta-schema) cost ~0.1 s of every cold start,
// for requests most processes never serve (bench/README.md, "Cold start").
let ajv: InstanceType<typeof Ajv> | undefined;
function sharedAjv(): InstanceType<typeof Ajv> {
  if (ajv) return ajv;
  ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false, code: { regExp: anchored } });
  (ajvErrors as unknown as (ajv: InstanceType<typeof Ajv>) => void)(ajv);
  return ajv;
}

const messageOf = (error: { instancePath: string; message?: string | undefined }) =>
  `${error.instancePath.replace(/^\//, "")} ${error.message ?? ""}`.replaceAll('"', "").trim();

/** A request schema, compiled once on its first parse (then validation is one call). */
export function runtimeSchema<const S extends ObjectSchema>(schema: S): RuntimeSchema<FromSchema<S>> {
  let validate: ReturnType<InstanceType<typeof Ajv>["compile"]> | undefined;
  return {
    dialect: "runtime",
    schema,
    parse(input) {
      validate ??= sharedAjv().compile(schema);
      if (validate(input)) return input as FromSchema<S>;
      throw invalidProperty(messageOf(validate.errors![0]!));
    },
  };
}
