import type { CreatedAccount } from "@idhub/core";
import { testDialects, type TestDialect } from "@idhub/db/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../support/http.js";
import { rawHttp, shortened } from "../support/raw-http.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { snapshot } from "../support/snapshot.js";
import { BAD_SEGMENTS, bodyCases, type BodyCase, fixedBodies, queryValue, seedInputs, segment } from "./fuzz-rest-inputs.js";
import { checkReply, type Route, ROUTES } from "./fuzz-rest-routes.js";

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
    seedInputs([...Object.values(real).flat(), addressA, addressB, template.reference.truncated, "RFID#fuzz"], {
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
    });
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
