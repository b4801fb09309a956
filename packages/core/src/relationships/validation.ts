import { invalid, type DomainError } from "../errors.js";

/**
 * Request validation with the enmeshed runtime's messages. Upstream validates with ajv (allErrors)
 * and reports only the first error as `error.runtime.validation.invalidPropertyValue`, message
 * `<instancePath without leading slash> <ajv message>`. This is a small interpreter of the few
 * JSON-schema keywords those request schemas use, reporting errors in ajv's order: type, then
 * required (in order), then additionalProperties, then each property in schema order. Patterns
 * are matched anchored (api-connector.md), with upstream's pattern text in the message.
 */
export const INVALID_PROPERTY_VALUE = "error.runtime.validation.invalidPropertyValue";

export type Rule =
  | { type: "any" }
  | { type: "string"; pattern?: Pattern; minLength?: number; errorMessage?: string }
  | { type: "number" | "integer"; minimum?: number; maximum?: number }
  | { type: "boolean"; const?: boolean }
  | ObjectRule;

export interface ObjectRule {
  type: "object";
  properties: Record<string, Rule>;
  required?: readonly string[];
  /** False = `additionalProperties: false`. */
  additional?: boolean;
  /** ajv-errors: one message replacing every error of this object. */
  errorMessage?: string;
}

export interface Pattern {
  /** As upstream writes it (the message shows it). */
  source: string;
  regex: RegExp;
}

export const pattern = (source: string): Pattern => ({ source, regex: new RegExp(`^(?:${source})$`) });

export const ADDRESS_PATTERN_SOURCE =
  "did:e:((([A-Za-z0-9]+(-[A-Za-z0-9]+)*)\\.)+[a-z]{2,}|localhost):dids:[0-9a-f]{22}";
export const ADDRESS = pattern(ADDRESS_PATTERN_SOURCE);
export const RELATIONSHIP_ID = pattern("REL[A-Za-z0-9]{17}");
export const TEMPLATE_ID = pattern("RLT[A-Za-z0-9]{17}");

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

const typeOk = (rule: Rule, value: unknown): boolean => {
  switch (rule.type) {
    case "any":
      return true;
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
};

/** The first error (ajv order) as a message, or undefined when the value is valid. */
export function firstError(rule: Rule, value: unknown, path = ""): string | undefined {
  const message = check(rule, value, path);
  if (message === undefined) return undefined;
  if ("errorMessage" in rule && rule.errorMessage !== undefined) return at(path, rule.errorMessage);
  return message;
}

const at = (path: string, message: string) => (path ? `${path} ${message}` : message);

function check(rule: Rule, value: unknown, path: string): string | undefined {
  if (!typeOk(rule, value)) return at(path, `must be ${rule.type}`);
  switch (rule.type) {
    case "string": {
      const text = value as string;
      if (rule.minLength !== undefined && [...text].length < rule.minLength) {
        return at(path, `must NOT have fewer than ${rule.minLength} characters`);
      }
      if (rule.pattern && !rule.pattern.regex.test(text)) return at(path, `must match pattern ${rule.pattern.source}`);
      return undefined;
    }
    case "number":
    case "integer":
      if (rule.minimum !== undefined && (value as number) < rule.minimum) return at(path, `must be >= ${rule.minimum}`);
      if (rule.maximum !== undefined && (value as number) > rule.maximum) return at(path, `must be <= ${rule.maximum}`);
      return undefined;
    case "boolean":
      if (rule.const !== undefined && value !== rule.const) return at(path, "must be equal to constant");
      return undefined;
    case "object": {
      const object = value as Record<string, unknown>;
      for (const name of rule.required ?? []) {
        if (!hasOwn(object, name) || object[name] === undefined) return at(path, `must have required property '${name}'`);
      }
      if (rule.additional === false) {
        for (const name of Object.keys(object)) {
          if (!hasOwn(rule.properties, name) && object[name] !== undefined) return at(path, "must NOT have additional properties");
        }
      }
      for (const [name, child] of Object.entries(rule.properties)) {
        if (!hasOwn(object, name) || object[name] === undefined) continue;
        const message = firstError(child, object[name], path ? `${path}/${name}` : name);
        if (message !== undefined) return message;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export const invalidProperty = (message: string): DomainError => invalid(INVALID_PROPERTY_VALUE, message);

/** Validates a request against its schema; throws the first error as upstream reports it. */
export function validateRequest<T>(rule: ObjectRule, input: unknown): T {
  const message = firstError(rule, input);
  if (message !== undefined) throw invalidProperty(message);
  return input as T;
}

/** ISO 8601 date-time as the runtime's request schemas accept it (date, optional time and zone). */
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

export const isoDateTime: Rule = {
  type: "string",
  pattern: { source: "ISO8601", regex: ISO_8601 },
  errorMessage: "must match ISO8601 datetime format",
};

/** Epoch ms of a validated ISO string (no zone = UTC, as luxon reads it with `zone: "utc"`). */
export function parseIso(text: string, field: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(text);
  let ms = Number.NaN;
  if (m) {
    const zone = m[5] === undefined || m[5] === "Z" ? "Z" : `${m[5].slice(0, 3)}:${m[5].slice(3).replace(":", "") || "00"}`;
    const fraction = (m[4] ?? "").padEnd(3, "0").slice(0, 3);
    ms = Date.parse(`${m[1]}T${m[2] ?? "00:00"}:${m[3] ?? "00"}.${fraction}${zone}`);
  }
  if (!Number.isFinite(ms)) throw invalidProperty(`${field} must match ISO8601 datetime format`);
  return ms;
}
