import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { expectConnectorError, expectNoLeak, expectTrustedTwinError } from "../support/assertions.js";
import type { Reply } from "../support/http.js";
import { stubCore } from "../support/stub-core.js";

const SQL_FAILURE = () => {
  throw new Error('insert into "secrets" ("hash") values ($1) - SQLITE_CORRUPT: database disk image is malformed');
};

function appWith(core: ReturnType<typeof stubCore>) {
  const logs: any[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const app = createApp({ core, logger });
  const call = async (method: string, path: string, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await app.request(path, { method, headers: { authorization: "any", ...headers } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : text };
  };
  return { call, logs };
}

describe("unexpected exceptions", () => {
  const failing = stubCore({ access: { whoami: SQL_FAILURE, identityInfo: SQL_FAILURE, get: async () => { throw { sql: "SELECT 1" }; } } });

  it("are a Trusted Twin 500000 without stack or SQL, logged with the request id and trace", async () => {
    const { call, logs } = appWith(failing);
    const reply = await call("GET", "/whoami");
    expectTrustedTwinError(reply, 500000);
    expect(reply.body.description).toBe("Internal server error.");
    const logged = logs.find((l) => l.msg === "unexpected error");
    expect(logged).toMatchObject({ level: 50, trace: reply.body.trace, reqId: reply.headers.get("x-request-id") });
    expect(logged.err.stack).toContain("SQLITE_CORRUPT");
  });

  it("are a Connector 500 error.connector.unexpected", async () => {
    const { call, logs } = appWith(failing);
    const reply = await call("GET", "/api/core/v1/Account/IdentityInfo");
    expectConnectorError(reply, 500, "error.connector.unexpected");
    expect(reply.body.error.message).toBe("An unexpected error occurred.");
    expect(logs.some((l) => l.msg === "unexpected error" && l.err.stack.includes("SQLITE_CORRUPT"))).toBe(true);
  });

  it("are a tRPC INTERNAL_SERVER_ERROR with a generic message", async () => {
    const { call, logs } = appWith(failing);
    const reply = await call("GET", "/trpc/access.whoami");
    expect(reply.status).toBe(500);
    expect(reply.body.error).toMatchObject({ message: "Internal server error", data: { code: "INTERNAL_SERVER_ERROR" } });
    expectNoLeak(reply);
    expect(logs.some((l) => l.msg === "unexpected error" && l.reqId === reply.headers.get("x-request-id"))).toBe(true);
  });

  it("also when something throws a value that is not an Error", async () => {
    const { call, logs } = appWith(failing);
    const reply = await call("GET", "/account");
    expectTrustedTwinError(reply, 500000);
    expect(logs.some((l) => l.msg === "unexpected error")).toBe(true);
  });

  it("in authentication itself (storage down) are the surface's internal error", async () => {
    const { call } = appWith(stubCore({ access: { authenticate: SQL_FAILURE } }));
    expectTrustedTwinError(await call("GET", "/whoami"), 500000);
    expectConnectorError(await call("GET", "/api/v2/Account/IdentityInfo"), 500, "error.connector.unexpected");
  });
});

describe("GET /health", () => {
  it("is 200 and healthy when the database answers, without authentication", async () => {
    const { call } = appWith(stubCore());
    const reply = await call("GET", "/health", { authorization: "" });
    expect({ status: reply.status, body: reply.body }).toEqual({
      status: 200,
      body: { isHealthy: true, services: { database: "healthy" } },
    });
    expect(reply.headers.get("x-response-time")).toBeTruthy();
  });

  it("is 500 with isHealthy false when the database ping fails", async () => {
    const { call } = appWith(stubCore({ health: { check: async () => ({ database: false }) } }));
    const reply = await call("GET", "/health");
    expect({ status: reply.status, body: reply.body }).toEqual({
      status: 500,
      body: { isHealthy: false, services: { database: "unhealthy" } },
    });
  });
});
