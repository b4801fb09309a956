import fc from "fast-check";
import { resolve, type Route, type Schema } from "./fuzz-rest-routes.js";

// fuzz-rest.test.ts, part 2: the hostile inputs — values, bodies, path segments and query values.

// ---------------------------------------------------------------------------------------------
// Hostile values

const DEEP = 10_000;
const deepArray = "[".repeat(DEEP) + "]".repeat(DEEP);
const deepObject = '{"a":'.repeat(DEEP) + "1" + "}".repeat(DEEP);

export const HOSTILE_RULES = [
  "(".repeat(5_000) + "true" + ")".repeat(5_000),
  "(".repeat(70) + "true" + ")".repeat(70),
  "not ".repeat(3_000) + "true",
  "-".repeat(5_000) + "1",
  "[".repeat(2_000) + "]".repeat(2_000),
  "USER" + "&.a".repeat(2_000),
  "x ".repeat(2_100),
  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' =~ '(a+)+$'",
  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' =~~ '(a|aa)*c'",
  "USER.name =~ '(?=a)b'",
  "USER.name =~ '(a)\\\\1'",
  "USER.name =~ '['",
  "USER.name =~ '" + "a".repeat(300) + "'",
  "USER.name =~ (USER.name + '(')",
  "USER.constructor.constructor('return process')()",
  "TWIN.__proto__.polluted == 1",
  "USER['__proto__']['toString']",
  "'x'.length",
  "$builtins.abs(-1)",
  "[x for x in [1]]",
  "1 / 0 == 1 // 0",
  "1 % 0",
  "2 ** 1e308",
  "10 ** 10 ** 10 ** 10",
  "[1, 2, 3][1:99999999999]",
  "'a' in 1",
  "1 < 'a'",
  "d'2020-01-01'",
  "true ? : false",
  "'unterminated",
  "\"\\u12\"",
  "# just a comment",
  "",
  " ",
  "\u0000",
  "\ud800",
  "USER.x == '\udfff'",
  "TWIN.a == 1 and " .repeat(500) + "true",
  "a" + "[0]".repeat(3_000),
  "{" + '"k": '.repeat(1) + "{".repeat(1_000) + "}".repeat(1_000) + "}",
];

export const HOSTILE_STRINGS = [
  ...HOSTILE_RULES,
  "%zz",
  "%",
  "%%",
  "%E0%A4%A",
  "%00",
  "\u0000\u0001\u007f",
  "'; DROP TABLE twins; --",
  "\" OR 1=1 --",
  "../../etc/passwd",
  "__proto__",
  "constructor",
  "x".repeat(70_000),
  "💥".repeat(1_000),
  "\ud83d",
  "NaN",
  "-0",
  "1e999",
  "did:e:localhost:dids:" + "0".repeat(22),
  "RLT" + "a".repeat(17),
  "REL" + "a".repeat(17),
  "00000000-0000-0000-0000-000000000000",
];

/**
 * Real values of the seeded accounts (ids, addresses, identity names), set before each run: mixed
 * into strings so a hostile field often sits next to valid ones and reaches the store.
 */
let REAL: string[] = ["x"];

const hostileStrings = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: fc.constantFrom(...REAL) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...REAL), fc.constantFrom("\u0000", "\ud800", "%00", " ", "\n")).map(([r, x]) => r + x) },
  );

const MARK = "\u0000__deep__\u0000";
const wrongScalars = () =>
  fc.oneof(
    fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, [], {}, [null], { "": null }, MARK),
    fc.integer(),
    fc.double(),
    hostileStrings(),
    fc.jsonValue({ maxDepth: 3 }),
  );

/** A value shaped like the schema with random wrong types and hostile strings mixed in. */
function valueFor(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const wrongScalar = wrongScalars();
  const hostileString = hostileStrings();
  if (!s || depth > 4) return wrongScalar;
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.includes("object") && s.properties) {
    const props = Object.entries(s.properties as Record<string, Schema>);
    const record = fc.record(Object.fromEntries(props.map(([k, v]) => [k, valueFor(v, depth + 1)])), { requiredKeys: [] });
    return fc.oneof(
      { weight: 4, arbitrary: record },
      // one declared field of a wrong type, the others shaped
      { weight: 2, arbitrary: fc.tuple(record, fc.constantFrom(...props.map(([k]) => k)), wrongScalar).map(([r, k, w]) => ({ ...(r as object), [k]: w })) },
      // an unknown extra field
      { weight: 1, arbitrary: fc.tuple(record, hostileString, wrongScalar).map(([r, k, w]) => ({ ...(r as object), [k]: w })) },
      { weight: 1, arbitrary: wrongScalar },
    );
  }
  if (types.includes("object") || s.additionalProperties) {
    const inner = typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
    return fc.oneof(fc.dictionary(hostileString, valueFor(inner, depth + 1), { maxKeys: 4 }), wrongScalar);
  }
  if (types.includes("array")) return fc.oneof(fc.array(valueFor(s.items, depth + 1), { maxLength: 4 }), wrongScalar);
  if (s.enum) return fc.oneof(fc.constantFrom(...(s.enum as unknown[])), wrongScalar);
  if (types.includes("string")) return fc.oneof(hostileString, wrongScalar);
  return wrongScalar;
}

/** Plausible values by field name (set before each run), so one hostile field sits among valid ones. */
let FIELD: Record<string, unknown> = {};

/** A body that is probably valid: seeded values by field name, else the simplest value of the type. */
function plausible(schema: Schema | undefined, name = "", depth = 0): unknown {
  if (name in FIELD) return FIELD[name];
  const s = resolve(schema);
  if (!s || depth > 6) return "fuzz";
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (s.enum) return s.enum[0];
  if (s.properties) {
    return Object.fromEntries(Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => [k, plausible(v, k, depth + 1)]));
  }
  if (typeof s.additionalProperties === "object" && Object.keys(s.additionalProperties).length > 0) {
    return { [name === "identities" ? "RFID#fuzz2" : "fuzz"]: plausible(s.additionalProperties, "", depth + 1) };
  }
  if (types.includes("object") || s.additionalProperties) return {};
  if (types.includes("string")) return s.format === "date-time" ? new Date(Date.now() + 3_600_000).toISOString() : "fuzz";
  if (types.includes("number") || types.includes("integer")) return 1;
  if (types.includes("boolean")) return true;
  if (types.includes("array")) return [];
  return null;
}

/** Paths to every leaf of a plain JSON object. */
function leaves(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== "object" || Array.isArray(value) || Object.keys(value).length === 0) return path.length ? [path] : [];
  return Object.entries(value).flatMap(([k, v]) => [...(path.length ? [path] : []), ...leaves(v, [...path, k])]);
}

function setAt(value: unknown, path: string[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const base = value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
  return { ...base, [head!]: setAt((base as Record<string, unknown>)[head!], rest, leaf) };
}

/** Strings that break a store rather than a validator: NUL (PostgreSQL text), lone surrogates, size. */
const STORE_BREAKERS = ["\u0000", "k\u0000", "\ud800", "\udfff x", "'\u0000' == USER.x", "x".repeat(70_000)];

export interface BodyCase {
  kind: string;
  body: string | Uint8Array;
  contentType?: string | undefined;
}

/** Replaces the deep-nesting marker (wherever the generator put it) with 10,000 levels of nesting. */
function jsonText(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  const marker = JSON.stringify(MARK);
  return text.includes(marker) ? text.split(marker).join(deepObject) : text;
}

const INVALID_UTF8 = [[0xff], [0xfe, 0xff], [0xc3, 0x28], [0xe2, 0x28, 0xa1], [0xf0, 0x28, 0x8c, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf]];

function withBadBytes(text: string, bytes: number[], at: number): Uint8Array {
  const encoded = new TextEncoder().encode(text);
  const i = Math.min(encoded.length, at);
  return Uint8Array.from([...encoded.subarray(0, i), ...bytes, ...encoded.subarray(i)]);
}

export function bodyCases(route: Route): fc.Arbitrary<BodyCase> {
  const limit = route.surface === "trustedtwin" ? 64 * 1024 : 2 * 1024 * 1024;
  const shaped = valueFor(route.body);
  const contentType = fc.constantFrom<string | undefined>(
    "application/json",
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/*",
    undefined,
  );
  const base = plausible(route.body);
  const paths = leaves(base);
  const oneHostileField = paths.length
    ? fc
        .tuple(fc.constantFrom(...paths), fc.oneof(wrongScalars(), fc.constantFrom(...STORE_BREAKERS)))
        .map(([path, leaf]): BodyCase => ({ kind: `one hostile field ${path.join(".")}`, body: jsonText(setAt(base, path, leaf)), contentType: "application/json" }))
    : shaped.map((v): BodyCase => ({ kind: "shaped", body: jsonText(v), contentType: "application/json" }));
  return fc.oneof(
    { weight: 6, arbitrary: oneHostileField },
    { weight: 6, arbitrary: shaped.map((v): BodyCase => ({ kind: "shaped", body: jsonText(v), contentType: "application/json" })) },
    { weight: 2, arbitrary: fc.tuple(fc.jsonValue({ maxDepth: 4 }), contentType).map(([v, ct]): BodyCase => ({ kind: "random json", body: JSON.stringify(v) ?? "null", contentType: ct })) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 60 }).map((t): BodyCase => ({ kind: "malformed json", body: t, contentType: "application/json" })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(shaped, fc.constantFrom(...INVALID_UTF8), fc.nat(200))
        .map(([v, bytes, at]): BodyCase => ({ kind: "invalid utf-8", body: withBadBytes(jsonText(v), bytes, at), contentType: "application/json" })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shaped, fc.integer({ min: 1_000, max: limit - 1_000 }))
        .map(([v, size]): BodyCase => {
          const base = v !== null && typeof v === "object" && !Array.isArray(v) ? v : {};
          const key = Object.keys(route.body?.properties ?? {})[0] ?? "x";
          return { kind: "huge string", body: JSON.stringify({ ...base, [key]: "h".repeat(size) }), contentType: "application/json" };
        }),
    },
  );
}

/** Cases every route gets, whatever the random generator draws. */
export function fixedBodies(route: Route): BodyCase[] {
  const limit = route.surface === "trustedtwin" ? 64 * 1024 : 2 * 1024 * 1024;
  const keys = Object.keys(route.body?.properties ?? {});
  const first = keys[0] ?? "x";
  const base = plausible(route.body);
  return [
    { kind: "plausible", body: JSON.stringify(base), contentType: "application/json" },
    ...leaves(base).flatMap((path) =>
      STORE_BREAKERS.map((leaf): BodyCase => ({ kind: `${path.join(".")} = ${JSON.stringify(leaf.slice(0, 20))}`, body: JSON.stringify(setAt(base, path, leaf)), contentType: "application/json" })),
    ),
    { kind: "deep array", body: deepArray, contentType: "application/json" },
    { kind: "deep object", body: deepObject, contentType: "application/json" },
    ...keys.map((k): BodyCase => ({ kind: `deep ${k}`, body: `{"${k}":${deepObject}}`, contentType: "application/json" })),
    { kind: "just under the limit", body: JSON.stringify({ [first]: "u".repeat(limit - first.length - 20) }), contentType: "application/json" },
    { kind: "over the limit", body: JSON.stringify({ [first]: "o".repeat(limit + 10) }), contentType: "application/json" },
    { kind: "invalid utf-8 in a string", body: withBadBytes(`{"${first}":"ab"}`, [0xff], first.length + 5), contentType: "application/json" },
    { kind: "lone surrogate escape", body: `{"${first}":"\\ud800"}`, contentType: "application/json" },
    { kind: "truncated", body: `{"${first}":`, contentType: "application/json" },
    { kind: "empty json", body: "", contentType: "application/json" },
    { kind: "NaN", body: `{"${first}":NaN}`, contentType: "application/json" },
    { kind: "duplicate keys", body: `{"${first}":1,"${first}":"x"}`, contentType: "application/json" },
    { kind: "proto", body: `{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}`, contentType: "application/json" },
    ...(keys.includes("visibility") || keys.includes("rules") || keys.includes("identities")
      ? HOSTILE_RULES.map((rule): BodyCase => ({
          kind: `rule ${rule.slice(0, 30)}`,
          body: JSON.stringify(
            keys.includes("identities")
              ? { identities: { "RFID#fuzz-rule": { visibility: rule } } }
              : keys.includes("rules")
                ? { name: "FuzzRole", statement: { effect: "allow", actions: null }, rules: { twin_rule: rule, identity_rule: rule } }
                : { visibility: rule },
          ),
          contentType: "application/json",
        }))
      : []),
  ];
}

// ---------------------------------------------------------------------------------------------
// Paths and queries

// Node's HTTP parser answers 431 itself above 16 kB of request head, so paths stay below that.
export const BAD_SEGMENTS = ["%zz", "%", "%%", "%E0%A4%A", "%C3%28", "%FF", "%00", "%2F", "..", "%2e%2e", "a%2Fb", "x".repeat(4_000), "%ud800", "%25zz", ";", "%3B", "~", "!$&'()*+,=:@"];
// Raw (unencoded) characters are limited to RFC 3986 pchars: Node's HTTP parser itself answers 400
// with an empty body to a request line with `<`, `\`, `{`, `|`, … before the app sees it.
const PRINTABLE = (s: string) => s.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]/g, "");

export function segment(real: string[]): fc.Arbitrary<string> {
  const hostileString = hostileStrings();
  return fc.oneof(
    { weight: 3, arbitrary: hostileString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\ufffd")).slice(0, 3_000)) },
    { weight: 2, arbitrary: fc.constantFrom(...BAD_SEGMENTS) },
    { weight: 2, arbitrary: real.length ? fc.constantFrom(...real.map(encodeURIComponent)) : fc.constant("x") },
    { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 20 }).map(PRINTABLE) },
  );
}

export function queryValue(): fc.Arbitrary<string> {
  const hostileString = hostileStrings();
  return fc.oneof(
    { weight: 3, arbitrary: hostileString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\ufffd")).slice(0, 2_000)) },
    { weight: 2, arbitrary: fc.constantFrom("%zz", "%", "%E0%A4%A", "%FF", "+", "", "true", "false", "1", "-1", "null", "[]", "personal", "system", "a,b,,c") },
    { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 20 }).map((s) => PRINTABLE(s).replace(/&/g, "")) },
  );
}

/** Sets the seeded accounts' real values and the plausible field values (before each run). */
export function seedInputs(real: string[], field: Record<string, unknown>): void {
  REAL = real;
  FIELD = field;
}
