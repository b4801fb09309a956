import { appRouter } from "@idhub/api";
import type { CreatedAccount } from "@idhub/core";
import { testDialects, type TestDialect } from "@idhub/db/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoLeak } from "../support/assertions.js";
import type { Reply } from "../support/http.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { snapshot } from "../support/snapshot.js";

// quality.md, Reliability, "Bad input never breaks anything", for tRPC: EVERY procedure of the
// appRouter (walked from `appRouter._def.procedures`, so new procedures are covered automatically)
// is called over HTTP as the seeded account's Super Admin with random and hostile JSON inputs.
// Every answer is a 2xx (the random input happened to be valid) or a tRPC error envelope with a
// 4xx `data.httpStatus` equal to the HTTP status; never 500, never a stack or SQL text; no non-2xx
// answer changes any stored row; the server keeps answering.

const RUNS: Record<TestDialect, number> = {
  sqlite: Number(process.env.IDHUB_FUZZ_RUNS ?? 25),
  postgres: Number(process.env.IDHUB_FUZZ_RUNS ?? 5),
};

interface Procedure {
  path: string;
  type: "query" | "mutation";
  /** Top-level input keys, when the input parser is an object schema. */
  keys: string[];
}

// The procedures pass their raw input to core, which validates it: there is no input schema to
// read the field names from, so these are core's input fields per namespace (a new namespace
// still gets the random inputs, just without plausible neighbours).
const KEY_HINTS: [string, string[]][] = [
  ["identityMetadata.", ["reference", "key", "value", "expectedVersion", "keyPrefix", "cursor", "limit"]],
  ["relationshipTemplates.", ["id", "reference", "password", "expiresAt", "content", "maxNumberOfAllocations", "forIdentity", "ephemeral"]],
  ["relationships.", ["id", "templateId", "creationContent", "peer", "status"]],
  ["identities.", ["twin", "identity", "name", "identities", "validityAt", "visibility", "context", "details", "showExpired", "showValid"]],
  ["twins.", ["twin", "description", "showTerminated", "cursor", "limit", "expectedVersion"]],
  ["access.users.", ["user", "role", "name", "description"]],
  ["access.roles.", ["role", "name", "statement", "rules"]],
  ["access.secrets.", ["user", "validityAt"]],
];
const keysFor = (path: string): string[] => KEY_HINTS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? [];

const PROCEDURES: Procedure[] = Object.entries((appRouter as any)._def.procedures as Record<string, any>)
  .filter(([, p]) => p._def.type === "query" || p._def.type === "mutation")
  .map(([path, p]) => ({ path, type: p._def.type, keys: keysFor(path) }));

const DEEP = 10_000;
const deepObject = '{"a":'.repeat(DEEP) + "1" + "}".repeat(DEEP);
const MARK = "\u0000__deep__\u0000";

const HOSTILE = [
  "\u0000",
  "k\u0000",
  "\ud800",
  "%zz",
  "x".repeat(70_000),
  "(".repeat(5_000) + "true" + ")".repeat(5_000),
  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' =~ '(a+)+$'",
  "USER.name =~ '(?=a)b'",
  "USER.constructor.constructor('return process')()",
  "TWIN.__proto__.polluted == 1",
  "'; DROP TABLE twins; --",
  "__proto__",
  MARK,
];

let FIELD: Record<string, unknown> = {};
let REAL: string[] = ["x"];

const wrong = () =>
  fc.oneof(
    fc.constantFrom<unknown>(null, true, 0, -1, 1.5, 1e308, 2 ** 53 + 1, [], {}, [null], ...HOSTILE),
    fc.constantFrom(...REAL),
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.jsonValue({ maxDepth: 3 }),
  );

function jsonText(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  const marker = JSON.stringify(MARK);
  return text.includes(marker) ? text.split(marker).join(deepObject) : text;
}

/** The input as JSON text, or raw bytes for the cases that are not JSON or not UTF-8. */
type Input = { kind: string; text: string | Uint8Array };

const plausibleValue = (k: string): unknown => (k in FIELD ? FIELD[k] : "fuzz");

function inputs(proc: Procedure): fc.Arbitrary<Input> {
  const base = Object.fromEntries(proc.keys.map((k) => [k, plausibleValue(k)]));
  // a plausible subset of the fields, one of them hostile
  const oneHostile = proc.keys.length
    ? fc
        .tuple(fc.subarray(proc.keys, { minLength: 1 }), fc.nat(), wrong())
        .map(([keys, i, v]): Input => {
          const input = Object.fromEntries(keys.map((k) => [k, plausibleValue(k)]));
          input[keys[i % keys.length]!] = v;
          return { kind: `hostile ${keys[i % keys.length]} among ${keys.join(",")}`, text: jsonText(input) };
        })
    : wrong().map((v): Input => ({ kind: "random", text: jsonText(v) }));
  const extra = fc.tuple(fc.string({ maxLength: 10 }), wrong()).map(([k, v]): Input => ({ kind: "extra key", text: jsonText({ ...base, [k]: v }) }));
  const dict = fc
    .dictionary(fc.constantFrom(...proc.keys, "id", "x"), wrong(), { maxKeys: 4 })
    .map((d): Input => ({ kind: "random object", text: jsonText(d) }));
  return fc.oneof(
    { weight: 5, arbitrary: oneHostile },
    { weight: 2, arbitrary: dict },
    { weight: 1, arbitrary: extra },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v): Input => ({ kind: "random json", text: JSON.stringify(v) ?? "null" })) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }).map((t): Input => ({ kind: "malformed", text: t })) },
  );
}

/** All subsets of up to `max` keys. */
function subsets(keys: string[], max: number): string[][] {
  const out: string[][] = [[]];
  for (const key of keys) for (const s of [...out]) if (s.length < max) out.push([...s, key]);
  return out.filter((s) => s.length > 0);
}

/** Strings that break a store rather than a validator (PostgreSQL cannot store NUL in text). */
const STORE_BREAKERS = ["\u0000", "k\u0000", "'\u0000' == USER.x"];

function fixedInputs(proc: Procedure): Input[] {
  const base = Object.fromEntries(proc.keys.map((k) => [k, k in FIELD ? FIELD[k] : "fuzz"]));
  // Every small combination of seeded fields, as is and with one field a store breaker: one of
  // them is the procedure's valid input, so the breaker reaches the store.
  const seeded = proc.keys.filter((k) => k in FIELD);
  const combinations = subsets(seeded, 3).flatMap((keys) => {
    const input = Object.fromEntries(keys.map((k) => [k, FIELD[k]]));
    return [
      { kind: `seeded ${keys.join(",")}`, text: JSON.stringify(input) },
      ...keys.flatMap((k) => STORE_BREAKERS.map((h): Input => ({ kind: `seeded ${keys.join(",")}, ${k} = ${JSON.stringify(h)}`, text: JSON.stringify({ ...input, [k]: h }) }))),
    ];
  });
  return [
    ...combinations,
    { kind: "plausible", text: JSON.stringify(base) },
    { kind: "deep", text: deepObject },
    { kind: "deep array", text: "[".repeat(DEEP) + "]".repeat(DEEP) },
    { kind: "truncated", text: '{"a":' },
    { kind: "invalid utf-8", text: Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) },
    ...proc.keys.flatMap((k) => HOSTILE.map((h): Input => ({ kind: `${k} = ${JSON.stringify(h.slice(0, 20))}`, text: jsonText({ ...base, [k]: h }) }))),
  ];
}


function checkReply(proc: Procedure, reply: Reply): void {
  const context = `${proc.type} ${proc.path} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status, context).toBeLessThan(500);
  expectNoLeak(reply);
  if (reply.status >= 200 && reply.status < 300) return;
  expect(reply.status, context).toBeGreaterThanOrEqual(400);
  const error = reply.body?.error;
  expect(error, context).toMatchObject({ message: expect.any(String), code: expect.any(Number), data: { code: expect.any(String), httpStatus: reply.status } });
}

function shortened(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const lines = error.message.split("\n").map((line) => (line.length > 2_000 ? `${line.slice(0, 2_000)}… (${line.length} chars)` : line));
  return new Error(lines.join("\n"), { cause: error.cause });
}

describe.each(testDialects)("fuzzing every tRPC procedure (%s)", (dialect) => {
  let server: TestServer;
  let account: CreatedAccount;
  let baseline: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    account = await server.createAccount("Fuzz A");
    const peer = await server.createAccount("Fuzz B");
    const tt = (method: string, path: string, body?: unknown) => server.http(method, path, { secret: account.secret, body });
    const c = (who: CreatedAccount, method: string, path: string, body?: unknown) =>
      server.http(method, `/api/core/v1${path}`, { headers: { "x-api-key": who.secret }, body });
    const ok = (reply: Reply, status: number) => {
      expect(reply.status, reply.text).toBe(status);
      return reply.body;
    };
    const twin = ok(await tt("POST", "/twins", { description: { serial: "fuzz" } }), 201).creation_certificate.uuid as string;
    ok(await tt("POST", `/twins/${twin}/identities`, { identities: { "RFID#fuzz": { visibility: "USER.x == 1" } } }), 201);
    const role = ok(await tt("POST", "/roles", { name: "Victim", statement: { effect: "allow", actions: ["get_twin"] } }), 201).uuid as string;
    const user = ok(await tt("POST", "/users", { role, name: "Victim" }), 201).uuid as string;
    const addressB = ok(await c(peer, "GET", "/Account/IdentityInfo"), 200).result.address as string;
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const template = ok(await c(peer, "POST", "/RelationshipTemplates/Own", { expiresAt: inAnHour, content: { "@type": "ArbitraryRelationshipTemplateContent", value: {} } }), 201).result;
    ok(await c(account, "POST", "/RelationshipTemplates/Peer", { reference: template.reference.truncated }), 201);
    const relationship = ok(
      await c(account, "POST", "/Relationships", { templateId: template.id, creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} } }),
      201,
    ).result.id as string;
    ok(await c(account, "PUT", "/IdentityMetadata", { reference: addressB, key: "k", value: 1 }), 200);

    FIELD = {
      twin,
      identity: "RFID#fuzz",
      name: "Fuzz",
      validityAt: null,
      user,
      role,
      reference: addressB,
      peer: addressB,
      templateId: template.id,
      id: relationship,
      key: "k",
      value: { a: 1 },
      visibility: "USER.x == 1",
      statement: { effect: "allow", actions: ["get_twin"] },
      content: { "@type": "ArbitraryRelationshipTemplateContent", value: {} },
      creationContent: { "@type": "ArbitraryRelationshipCreationContent", value: {} },
      expiresAt: inAnHour,
    };
    REAL = [twin, user, role, addressB, template.id, relationship, template.reference.truncated, "RFID#fuzz"];
    baseline = await snapshot(server);
  });
  const seen = new Map<string, number>();
  afterAll(async () => {
    console.log(`fuzz-trpc (${dialect}): ${[...seen].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}×${n}`).join(" ")}`);
    await server?.stop();
  });

  it("walks the whole router", () => {
    expect(PROCEDURES.length).toBeGreaterThan(40);
    expect(PROCEDURES.some((p) => p.type === "query") && PROCEDURES.some((p) => p.type === "mutation")).toBe(true);
  });

  for (const proc of PROCEDURES) {
    it(`${proc.type} ${proc.path}`, async () => {
      const send = (input: Input): Promise<Reply> => {
        const headers = { authorization: account.secret };
        if (proc.type === "mutation") {
          return server.http("POST", `/trpc/${proc.path}`, { headers: { ...headers, "content-type": "application/json" }, body: input.text });
        }
        const text = typeof input.text === "string" ? encodeURIComponent(input.text.replace(/[\ud800-\udfff]/g, "\ufffd")) : "%7B%22a%22%3A%22%FF%22%7D";
        // Queries travel in the URL: keep it under Node's 16 kB request-head limit.
        return server.http("GET", `/trpc/${proc.path}?input=${text.length > 12_000 ? "%7B%7D" : text}`, { headers });
      };
      const fixed = fixedInputs(proc);
      await fc
        .assert(
          fc.asyncProperty(inputs(proc), async (input) => {
            const reply = await send(input);
            const key = `${reply.status}${reply.body?.error?.data?.code ? `/${reply.body.error.data.code}` : ""}`;
            seen.set(key, (seen.get(key) ?? 0) + 1);
            checkReply(proc, reply);
            const after = await snapshot(server);
            if (reply.status >= 200 && reply.status < 300) baseline = after;
            else expect(after, `${proc.path} (${input.kind}) answered ${reply.status} but changed data`).toBe(baseline);
          }),
          { numRuns: RUNS[dialect] + fixed.length, examples: fixed.map((i) => [i]), endOnFailure: true },
        )
        .catch((error: unknown) => {
          throw shortened(error);
        });
      const whoami = await server.http("GET", "/whoami", { secret: account.secret });
      expect(whoami.status, whoami.text).toBe(200);
    });
  }
});
