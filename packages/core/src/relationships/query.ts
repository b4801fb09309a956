import { invalidProperty } from "../shared/validation/index.js";

// List filters with the semantics of the Connector's query strings (@js-soft/docdb-querytranslator):
// `v` equals, `!v` not equal, empty = exists, `!` = does not exist, `>v <v >=v <=v` compare,
// `^v` starts with, `$v` ends with, `~v` contains (case-insensitive), a repeated key = any of.
// "true"/"false" and numeric strings compare as booleans and numbers; date fields compare as times.

export type Query = Record<string, string | string[]>;

/** How a field is read from a listed item, and whether its values are times (epoch ms). */
export interface Field<T> {
  get(item: T): unknown;
  date?: boolean;
}

type Test = (value: unknown) => boolean;

const convert = (text: string, date: boolean | undefined): unknown => {
  if (date) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : text;
  }
  if (text === "true") return true;
  if (text === "false") return false;
  if (text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  return text;
};

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function condition(raw: string, date: boolean | undefined): Test {
  if (raw === "") return (v) => v !== undefined && v !== null;
  if (raw === "!") return (v) => v === undefined || v === null;
  const comparison = /^(>=|<=|>|<)(.*)$/s.exec(raw);
  if (comparison) {
    const target = convert(comparison[2]!, date);
    const op = comparison[1];
    return (v) => {
      if (v === undefined || v === null || typeof v !== typeof target) return false;
      const x = v as number | string;
      const y = target as number | string;
      return op === ">" ? x > y : op === "<" ? x < y : op === ">=" ? x >= y : x <= y;
    };
  }
  if (raw.startsWith("!")) {
    const equal = condition(raw.slice(1), date);
    return (v) => !equal(v);
  }
  const regex = /^([\^$~])(.*)$/s.exec(raw);
  if (regex) {
    const text = escapeRegex(regex[2]!);
    const re = new RegExp(regex[1] === "^" ? `^${text}` : regex[1] === "$" ? `${text}$` : text, "i");
    return (v) => typeof v === "string" && re.test(v);
  }
  const target = convert(raw, date);
  return (v) => v === target || (typeof v === "string" && v === raw);
}

/**
 * Compiles a query into a predicate over items. Unknown keys fail like upstream's schema:
 * `query must NOT have additional properties`.
 */
export function compileQuery<T>(query: unknown, fields: Record<string, Field<T>>): (item: T) => boolean {
  if (query === undefined || query === null) return () => true;
  if (typeof query !== "object" || Array.isArray(query)) throw invalidProperty("query must be object");
  const tests: Array<(item: T) => boolean> = [];
  for (const [key, raw] of Object.entries(query as Record<string, unknown>)) {
    if (raw === undefined) continue;
    const field = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
    if (!field) throw invalidProperty("query must NOT have additional properties");
    const values = Array.isArray(raw) ? raw : [raw];
    if (!values.every((v): v is string => typeof v === "string")) throw invalidProperty(`query/${key} must be string`);
    const alternatives = values.map((v) => condition(v, field.date));
    tests.push((item) => {
      const value = field.get(item);
      return alternatives.some((test) => test(value));
    });
  }
  return (item) => tests.every((test) => test(item));
}
