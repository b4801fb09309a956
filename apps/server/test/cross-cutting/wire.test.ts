import { z } from "@hono/zod-openapi";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { OpenAPIHono } from "@hono/zod-openapi";
import { mountConnector } from "../../src/connector/index.js";
import { connectorSurface } from "../../src/connector/surface.js";
import { authenticate } from "../../src/http/authenticate.js";
import type { AppEnv } from "../../src/http/env.js";
import { routingPath } from "../../src/http/paths.js";
import { requestLog } from "../../src/http/request-log.js";
import { route } from "../../src/http/route-table.js";
import { responseTiming } from "../../src/http/timing.js";
import { mountTrustedTwin } from "../../src/trustedtwin/index.js";
import { trustedTwinSurface } from "../../src/trustedtwin/surface.js";
import { queryBoolean } from "../../src/trustedtwin/wire.js";
import { expectConnectorError, expectTrustedTwinError } from "../support/assertions.js";
import type { Reply } from "../support/http.js";
import { withServer } from "../support/server.js";
import { stubCore } from "../support/stub-core.js";

// Probe routes mounted with the real surfaces and mount functions, to test the wire conventions
// that no route of this issue exercises yet (query booleans, Connector bodies).
const ttProbe = [
  route({
    method: "get",
    path: "/probe/{name}",
    operationId: "probe",
    summary: "echo",
    params: z.object({ name: z.string() }),
    query: z.object({ flag: queryBoolean.optional(), list: z.union([z.string(), z.array(z.string())]).optional() }),
    status: 200,
    handle: async ({ params, query }) => ({ name: params.name, ...query }),
  }),
];
const connectorProbe = [
  route({
    method: "put",
    path: "/Probe",
    operationId: "probePut",
    summary: "echo",
    body: z.record(z.string(), z.unknown()),
    status: 200,
    handle: async ({ body }) => body,
  }),
  route({ method: "post", path: "/Probe", operationId: "probePost", summary: "create", status: 201, handle: async () => ({ id: "X" }) }),
];

function probeApp() {
  const logger = pino({ level: "silent" });
  const core = stubCore();
  const app = new OpenAPIHono<AppEnv>({ getPath: routingPath });
  app.use(requestLog(logger));
  app.use("/api/*", responseTiming);
  app.use(authenticate(core));
  mountConnector(app, core, connectorSurface(logger), connectorProbe);
  mountTrustedTwin(app, core, trustedTwinSurface(logger), ttProbe);
  return async (method: string, path: string, init: { body?: RequestInit["body"]; headers?: Record<string, string> } = {}): Promise<Reply> => {
    const response = await app.request(path, { method, body: init.body, headers: { authorization: "s", ...init.headers } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : text };
  };
}

describe("Trusted Twin wire conventions (probe route)", () => {
  const call = probeApp();

  it("accepts true/false/True/False/1/0 as query booleans and nothing else", async () => {
    for (const [text, value] of [["true", true], ["True", true], ["1", true], ["false", false], ["False", false], ["0", false]] as const) {
      expect((await call("GET", `/probe/x?flag=${text}`)).body).toEqual({ name: "x", flag: value });
    }
    for (const text of ["yes", "TRUE", "", "2", "true&flag=false"]) {
      expectTrustedTwinError(await call("GET", `/probe/x?flag=${text}`), 400592);
    }
    expect((await call("GET", "/probe/x")).body).toEqual({ name: "x" });
  });

  it("decodes each path segment exactly once", async () => {
    expect((await call("GET", "/probe/RFID%23ae14%2B%3D")).body.name).toBe("RFID#ae14+=");
    expect((await call("GET", "/probe/a%2523")).body.name).toBe("a%23");
    expect((await call("GET", "/probe/a%2Fb")).body.name).toBe("a/b");
    expect((await call("GET", "/probe/%E2%82%AC+1")).body.name).toBe("€+1");
  });

  it("treats /x and /x/ as the same route", async () => {
    expect((await call("GET", "/probe/x/?flag=1")).body).toEqual({ name: "x", flag: true });
  });

  it("decodes query strings the standard way; repeated keys are arrays", async () => {
    expect((await call("GET", "/probe/x?list=a+b&list=did:e:c")).body.list).toEqual(["a b", "did:e:c"]);
  });
});

describe("Connector bodies (probe routes)", () => {
  const call = probeApp();
  const json = { "content-type": "application/json" };

  it("parses JSON bodies; an empty body with any content type is {}", async () => {
    expect((await call("PUT", "/api/core/v1/Probe", { headers: json, body: '{"a":1}' })).body).toEqual({ result: { a: 1 } });
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect((await call("PUT", "/api/v2/Probe", { headers: form, body: "" })).body).toEqual({ result: {} });
    expect((await call("PUT", "/api/v2/Probe", { headers: json })).body).toEqual({ result: {} });
  });

  it("answers bad JSON, non-object JSON and invalid UTF-8 with invalidJsonInPayload", async () => {
    for (const body of ["{", '"text"', "42", "null", new Uint8Array([0x7b, 0xff, 0x7d])]) {
      expectConnectorError(
        await call("PUT", "/api/core/v1/Probe", { headers: json, body }),
        400,
        "error.connector.validation.invalidJsonInPayload",
      );
    }
  });

  it("answers a creating POST with 201, {result} and Location: _", async () => {
    const reply = await call("POST", "/api/v2/Probe");
    expect({ status: reply.status, body: reply.body, location: reply.headers.get("location") }).toEqual({
      status: 201,
      body: { result: { id: "X" } },
      location: "_",
    });
  });
});

describe("wire conventions on the real routes", () => {
  const fx = withServer("sqlite", { admin: "account 1" });
  const get = (path: string) => fx.server.http("GET", path, { secret: fx.admin.secret, headers: { "X-API-KEY": fx.admin.secret } });

  it("serves every route with and without a trailing slash", async () => {
    for (const path of ["/whoami", "/users", `/users/${fx.admin.user.id}`, "/api/v2/Account/IdentityInfo"]) {
      const plain = await get(path);
      expect(plain.status, path).toBe(200);
      expect((await get(`${path}/`)).body, path).toEqual(plain.body);
    }
  });

  it("percent-decodes path segments once, then validates", async () => {
    const id = fx.admin.user.id;
    const encoded = `%${id.charCodeAt(0).toString(16)}${id.slice(1)}`;
    expect((await get(`/users/${encoded}`)).body.uuid).toBe(id);
    expectTrustedTwinError(await get(`/users/%25${id.charCodeAt(0).toString(16)}${id.slice(1)}`), 400592);
    expectTrustedTwinError(await get("/users/%ZZ"), 400592);
  });

  it("answers HEAD like GET without a body and echoes the request id", async () => {
    const head = await fx.server.http("HEAD", "/whoami", { secret: fx.admin.secret, headers: { "X-Request-Id": "trace-me-1" } });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers.get("x-request-id")).toBe("trace-me-1");
  });
});
