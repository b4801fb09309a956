/**
 * Run-time values of the rule language and the operations on them, with rule-engine's semantics
 * (rules.md, "Semantics"). Values are JSON: null, booleans, numbers (floats), strings, arrays and
 * mappings. Host data is read through `fromHost`, which turns anything that is not plain JSON
 * (functions, class instances, symbols…) into null, and mappings are read through `readKey`, which
 * only sees own properties: no prototype, constructor or host method is ever reachable from a rule.
 * The operations are beside it: `compare.ts` (==, ordering, in), `arithmetic.ts`, `lookup.ts`
 * (member, index, slice).
 */

/** A mapping: a plain object (prototype Object.prototype or null); its values are read with readKey. */
export type Mapping = { readonly [key: string]: unknown };

/** An array; its items are read with readItem. */
export type List = readonly unknown[];

export type Value = null | boolean | number | string | List | Mapping;

/**
 * An evaluation error (type mismatch, `.x` on null, bad run-time regex…). It is thrown through the
 * closures and caught once by `evaluate`, which then answers false: a failing rule never grants.
 * Not an Error subclass: no stack trace is captured, which keeps hostile failing rules cheap.
 */
export class EvaluationFault {
  constructor(readonly reason: string) {}
}

export function fault(reason: string): never {
  throw new EvaluationFault(reason);
}

/** The rule-language view of a host value: JSON stays, anything else becomes null. */
export function fromHost(value: unknown): Value {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object": {
      if (value === null || Array.isArray(value)) return value;
      const prototype = Object.getPrototypeOf(value) as unknown;
      return prototype === Object.prototype || prototype === null ? (value as Mapping) : null;
    }
    default:
      return null;
  }
}

export function isList(value: Value): value is List {
  return Array.isArray(value);
}

export function isMapping(value: Value): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `mapping.key`: an own property only, else null. */
export function readKey(mapping: Mapping, key: string): Value {
  return Object.hasOwn(mapping, key) ? fromHost(mapping[key]) : null;
}

export function readItem(list: List, index: number): Value {
  return fromHost(list[index]);
}

export function typeName(value: Value): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "mapping" : typeof value === "number" ? "float" : typeof value;
}

/** Python truthiness: null, false, 0, "", [] and {} are false. */
export function truthy(value: Value): boolean {
  switch (typeof value) {
    case "boolean":
      return value;
    case "string":
      return value.length > 0;
    case "number":
      return value !== 0;
    case "object":
      if (value === null) return false;
      if (Array.isArray(value)) return value.length > 0;
      for (const key in value) if (Object.hasOwn(value, key)) return true;
      return false;
    default:
      return false;
  }
}
