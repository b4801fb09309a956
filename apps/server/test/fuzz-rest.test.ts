import type { CreatedAccount } from "@idhub/core";
import { testDialects, type TestDialect } from "@idhub/db/testing";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoLeak } from "./support/assertions.js";
import type { Reply } from "./support/http.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { snapshot } from "./support/snapshot.js";

// quality.md, Reliability, "Bad input never breaks anything": for EVERY route of the committed
// OpenAPI document (so new routes are fuzzed without touching this file), malformed input sent as
// the Super Admin of a seeded account is answered with the surface's documented 4xx error (or, if
// the random input happens to be valid, a 2xx), never a 5xx, never a stack or SQL text; the server
// stays up; and no non-2xx answer changed any stored row.
//
// Both dialects (PostgreSQL when IDHUB_TEST_PG_URL is set: it rejects NUL characters and invalid
// text where SQLite does not); PostgreSQL gets fewer random cases to keep the file well under 60 s.

/** Random cases per route on top of the fixed hostile examples. */
const RUNS: Record<TestDialect, number> = {
  sqlite: Number(process.env.IDHUB_FUZZ_RUNS ?? 60),
  postgres: Number(process.env.IDHUB_FUZZ_RUNS ?? 20),
};

type Surface = "trustedtwin" | "connector";
type Schema = Record<string, any>;

interface Route {
  method: string;
  path: string;
  surface: Surface;
  authenticated: boolean;
  pathParams: string[];
  queryParams: string[];
  body: Schema | undefined;
}

// ---------------------------------------------------------------------------------------------
// The route list, from the document

const doc = JSON.parse(readFileSync(new URL("../openapi.json", import.meta.url), "utf8")) as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };

function resolve(schema: Schema | undefined): Schema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) s = doc.components.schemas[String(s.$ref).replace("#/components/schemas/", "")];
  return s;
}

const ROUTES: Route[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([, op]) => typeof op === "object" && op !== null && "responses" in op)
    .map(([method, op]): Route => {
      const params: { in: string; name: string }[] = op.parameters ?? [];
      const surface: Surface = (op.tags ?? []).includes("trustedtwin") ? "trustedtwin" : "connector";
      return {
        method: method.toUpperCase(),
        path,
        surface,
        authenticated: (op.security ?? []).length > 0,
        pathParams: params.filter((p) => p.in === "path").map((p) => p.name),
        queryParams: params.filter((p) => p.in === "query").map((p) => p.name),
        body: op.requestBody ? (resolve(op.requestBody.content?.["application/json"]?.schema) ?? {}) : undefined,
      };
    }),
);

// ---------------------------------------------------------------------------------------------
// What the surfaces may answer (api-trustedtwin.md "Errors", api-connector.md "Wire conventions")

const TT_SUBCODES = new Set([400415, 400314, 400141, 400592, 400589, 400358, 400897, 401000, 403535, 404653, 412000]);
const CONNECTOR_STATUSES = new Set([400, 401, 403, 404, 405, 406, 412, 413]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkReply(route: Route, reply: Reply): void {
  const context = `${route.method} ${route.path} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status, context).toBeLessThan(500);
  expectNoLeak(reply);
  if (reply.status >= 200 && reply.status < 300) return;
  if (route.surface === "trustedtwin") {
    expect(reply.body, context).toEqual({ subcode: expect.any(Number), description: expect.any(String), trace: expect.stringMatching(UUID) });
    expect(TT_SUBCODES.has(reply.body.subcode), context).toBe(true);
    expect(Math.floor(reply.body.subcode / 1000), context).toBe(reply.status);
  } else {
    expect(CONNECTOR_STATUSES.has(reply.status), context).toBe(true);
    expect(Object.keys(reply.body ?? {}), context).toEqual(["error"]);
    const { error } = reply.body;
    expect(Object.keys(error), context).toEqual(["code", "message", "id", "time", "docs"]);
    expect(error.code, context).toMatch(/^error\./);
    expect(error.message, context).toEqual(expect.any(String));
    expect(error.id, context).toMatch(/^ERR[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{17}$/);
    expect(error.docs, context).toBe(`https://enmeshed.eu/integrate/error-codes#${error.code}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const DEEP = 10_000;
const deepArray = "[".repeat(DEEP) + "]".repeat(DEEP);
const deepObject = '{"a":'.repeat(DEEP) + "1" + "}".repeat(DEEP);

const HOSTILE_RULES = [
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

const HOSTILE_STRINGS = [
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

interface BodyCase {
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

function bodyCases(route: Route): fc.Arbitrary<BodyCase> {
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
function fixedBodies(route: Route): BodyCase[] {
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
const BAD_SEGMENTS = ["%zz", "%", "%%", "%E0%A4%A", "%C3%28", "%FF", "%00", "%2F", "..", "%2e%2e", "a%2Fb", "x".repeat(4_000), "%ud800", "%25zz", ";", "%3B", "~", "!$&'()*+,=:@"];
// Raw (unencoded) characters are limited to RFC 3986 pchars: Node's HTTP parser itself answers 400
// with an empty body to a request line with `<`, `\`, `{`, `|`, … before the app sees it.
const PRINTABLE = (s: string) => s.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]/g, "");

function segment(real: string[]): fc.Arbitrary<string> {
  const hostileString = hostileStrings();
  return fc.oneof(
    { weight: 3, arbitrary: hostileString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\ufffd")).slice(0, 3_000)) },
    { weight: 2, arbitrary: fc.constantFrom(...BAD_SEGMENTS) },
    { weight: 2, arbitrary: real.length ? fc.constantFrom(...real.map(encodeURIComponent)) : fc.constant("x") },
    { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 20 }).map(PRINTABLE) },
  );
}

function queryValue(): fc.Arbitrary<string> {
  const hostileString = hostileStrings();
  return fc.oneof(
    { weight: 3, arbitrary: hostileString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\ufffd")).slice(0, 2_000)) },
    { weight: 2, arbitrary: fc.constantFrom("%zz", "%", "%E0%A4%A", "%FF", "+", "", "true", "false", "1", "-1", "null", "[]", "personal", "system", "a,b,,c") },
    { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 20 }).map((s) => PRINTABLE(s).replace(/&/g, "")) },
  );
}

// ---------------------------------------------------------------------------------------------
// A raw client: node:http sends the path exactly as given (fetch would normalise `..` and more),
// and can pick the local address. PIN redemption is throttled per client address, so the one
// unauthenticated route is fuzzed from other loopback addresses (127.0.0.2…) than the seeded
// account's own requests, which would otherwise be locked out by design after 20 failures.

function rawHttp(baseUrl: string, method: string, path: string, headers: Record<string, string>, body: string | Uint8Array | undefined, localAddress = "127.0.0.1"): Promise<Reply> {
  const url = new URL(baseUrl);
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, localAddress, headers: { ...headers, ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            if (text !== "") parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(", ") : v);
          resolvePromise({ status: res.statusCode ?? 0, headers: responseHeaders, body: parsed, text });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** fast-check prints the whole counterexample; hostile inputs are large, so keep lines readable. */
function shortened(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const short = new Error(error.message.split("\n").map((line) => (line.length > 2_000 ? `${line.slice(0, 2_000)}… (${line.length} chars)` : line)).join("\n"), { cause: error.cause });
  return short;
}

// ---------------------------------------------------------------------------------------------

describe.each(testDialects)("fuzzing every REST route of openapi.json (%s)", (dialect) => {
  let server: TestServer;
  let accountA: CreatedAccount;
  let accountB: CreatedAccount;
  let real: Record<string, string[]> = {};
  let baseline: string;
  let anonymous = 0;
  /** Answers seen, by surface and status: printed at the end so a run shows what it exercised. */
  const seen = new Map<string, number>();

  const headersFor = (route: Route, account: CreatedAccount): Record<string, string> =>
    !route.authenticated ? {} : route.surface === "trustedtwin" ? { authorization: account.secret } : { "x-api-key": account.secret };

  beforeAll(async () => {
    server = await startTestServer(dialect);
    accountA = await server.createAccount("Fuzz A");
    accountB = await server.createAccount("Fuzz B");
    const tt = (method: string, path: string, body?: unknown) => server.http(method, path, { secret: accountA.secret, body });
    const cB = (method: string, path: string, body?: unknown) =>
      server.http(method, `/api/core/v1${path}`, { headers: { "x-api-key": accountB.secret }, body });
    const cA = (method: string, path: string, body?: unknown) =>
      server.http(method, `/api/core/v1${path}`, { headers: { "x-api-key": accountA.secret }, body });
    const ok = (reply: Reply, status: number) => {
      expect(reply.status, reply.text).toBe(status);
      return reply.body;
    };

    const twin = ok(await tt("POST", "/twins", { description: { serial: "fuzz" } }), 201).creation_certificate.uuid as string;
    ok(await tt("POST", `/twins/${twin}/identities`, { identities: { "RFID#fuzz": { visibility: "USER.x == 1" }, "RFID#other": {} } }), 201);
    const role = ok(await tt("POST", "/roles", { name: "Victim", statement: { effect: "allow", actions: ["get_twin"] } }), 201).uuid as string;
    const user = ok(await tt("POST", "/users", { role, name: "Victim" }), 201).uuid as string;
    ok(await tt("POST", `/users/${user}/secrets`), 201);

    const addressB = ok(await cB("GET", "/Account/IdentityInfo"), 200).result.address as string;
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const template = ok(await cB("POST", "/RelationshipTemplates/Own", { expiresAt: inAnHour, content: { "@type": "ArbitraryRelationshipTemplateContent", value: {} } }), 201).result;
    ok(await cA("POST", "/RelationshipTemplates/Peer", { reference: template.reference.truncated }), 201);
    const relationship = ok(
      await cA("POST", "/Relationships", { templateId: template.id, creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} } }),
      201,
    ).result.id as string;
    ok(await cA("PUT", "/IdentityMetadata", { reference: addressB, key: "k", value: { a: [1, 2] } }), 200);

    real = {
      twin: [twin],
      identity: ["RFID#fuzz", "RFID#other"],
      user: [user],
      role: [role],
      account: [accountA.account.id, accountB.account.id],
      pin: ["AB12CD"],
      id: [template.id, relationship],
    };
    const addressA = ok(await cA("GET", "/Account/IdentityInfo"), 200).result.address as string;
    REAL = [...Object.values(real).flat(), addressA, addressB, template.reference.truncated, "RFID#fuzz"];
    FIELD = {
      reference: addressB,
      peer: addressB,
      forIdentity: addressB,
      templateId: template.id,
      role: role,
      key: "k",
      value: { a: 1 },
      name: "Fuzz",
      content: { "@type": "ArbitraryRelationshipTemplateContent", value: {} },
      creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} },
      statement: { effect: "allow", actions: ["get_twin"] },
      validity_ts: null,
    };
    baseline = await snapshot(server);
  });
  afterAll(async () => {
    const summary = [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}×${n}`).join(" ");
    console.log(`fuzz-rest (${dialect}): ${[...seen.values()].reduce((a, b) => a + b, 0)} requests; ${summary}`);
    await server?.stop();
  });

  it("drives its route list from openapi.json", () => {
    expect(ROUTES.length).toBeGreaterThan(80);
    expect(ROUTES.filter((r) => r.body).length).toBeGreaterThan(15);
  });

  for (const route of ROUTES) {
    it(`${route.method} ${route.path}`, async () => {
      const anyBody = route.body !== undefined || ["POST", "PUT", "PATCH", "DELETE"].includes(route.method);
      const paths = fc.tuple(...route.pathParams.map((name) => segment(real[name] ?? []))).map((segments) =>
        route.pathParams.reduce((path, name, i) => path.replace(`{${name}}`, segments[i]!), route.path),
      );
      const query = fc
        .array(fc.tuple(fc.constantFrom(...route.queryParams, "unknown", "__proto__"), queryValue()), { maxLength: 4 })
        .map((pairs) => (pairs.length ? "?" + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join("&") : ""));
      const body = anyBody ? fc.option(bodyCases(route), { freq: 4 }) : fc.constant(null);
      const request = fc.record({ path: paths, query, body });

      const exampleBodies: BodyCase[] = anyBody ? fixedBodies(route) : [];
      const realPath = route.pathParams.reduce((p, name) => p.replace(`{${name}}`, encodeURIComponent((real[name] ?? ["x"])[0]!)), route.path);
      const examples = [
        ...exampleBodies.map((b) => ({ path: realPath, query: "", body: b })),
        ...route.pathParams.flatMap((name) =>
          BAD_SEGMENTS.map((bad) => ({ path: route.pathParams.reduce((p, n) => p.replace(`{${n}}`, n === name ? bad : encodeURIComponent((real[n] ?? ["x"])[0]!)), route.path), query: "", body: null })),
        ),
        ...route.queryParams.map((q) => ({ path: realPath, query: `?${q}=%zz&${q}=%&${q}=%FF`, body: null })),
      ];

      const send = async (input: { path: string; query: string; body: BodyCase | null }): Promise<Reply> => {
        const headers = headersFor(route, accountA);
        if (input.body?.contentType) headers["content-type"] = input.body.contentType;
        const from = route.authenticated ? "127.0.0.1" : `127.0.0.${2 + (Math.floor(anonymous++ / 10) % 250)}`;
        return rawHttp(server.url, route.method, input.path + input.query, headers, input.body?.body, from);
      };

      await fc.assert(
        fc.asyncProperty(request, async (input) => {
          const reply = await send(input);
          const key = `${route.surface} ${reply.status}${route.surface === "trustedtwin" && reply.body?.subcode ? `/${reply.body.subcode}` : ""}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          checkReply(route, reply);
          const after = await snapshot(server);
          if (reply.status >= 200 && reply.status < 300) baseline = after;
          else expect(after, `${route.method} ${input.path}${input.query} answered ${reply.status} but changed data`).toBe(baseline);
        }),
        { numRuns: RUNS[dialect] + examples.length, examples: examples.map((e) => [e]), endOnFailure: true },
      ).catch((error: unknown) => {
        throw shortened(error);
      });

      // still up, still answering the seeded account
      const whoami = await server.http("GET", "/whoami", { secret: accountA.secret });
      expect(whoami.status, whoami.text).toBe(200);
    });
  }
});
