import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startTestServer, withServer } from "../support/server.js";

const APP = "http://app.example.test:5173";

describe("CORS with IDHUB_CORS_ORIGINS", () => {
  const fx = withServer("sqlite", {}, { IDHUB_CORS_ORIGINS: `${APP}, https://other.example.test` });

  it("answers a preflight from a configured origin before authentication", async () => {
    const reply = await fx.server.http("OPTIONS", "/twins/x", {
      headers: { origin: APP, "access-control-request-method": "PATCH", "access-control-request-headers": "authorization, if-match" },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get("access-control-allow-origin")).toBe(APP);
    expect(reply.headers.get("access-control-allow-methods")).toContain("PATCH");
    expect(reply.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("if-match");
    expect(reply.headers.get("access-control-allow-credentials")).toBeNull();
    expect(reply.headers.get("x-request-id")).toBeTruthy();
  });

  it("exposes ETag on answers to a configured origin, and allows nothing for another", async () => {
    const admin = await fx.server.createAccount();
    const twin = await fx.server.http("POST", "/twins", { secret: admin.secret, body: {}, headers: { origin: APP } });
    expect(twin.headers.get("access-control-allow-origin")).toBe(APP);
    expect(twin.headers.get("access-control-expose-headers")).toContain("ETag");
    expect(twin.headers.get("vary")).toContain("Origin");

    const foreign = await fx.server.http("GET", "/whoami", { secret: admin.secret, headers: { origin: "http://evil.example.test" } });
    expect(foreign.status).toBe(200); // the server answers; the browser withholds it from the page
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("CORS configuration", () => {
  it("is off by default: no CORS headers at all", async () => {
    const server = await startTestServer();
    try {
      const reply = await server.http("GET", "/health", { headers: { origin: APP } });
      expect(reply.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await server.stop();
    }
  });

  it("with *, allows any origin and still never credentials", async () => {
    const server = await startTestServer("sqlite", { IDHUB_CORS_ORIGINS: "*" });
    try {
      const reply = await server.http("OPTIONS", "/whoami", { headers: { origin: APP, "access-control-request-method": "GET" } });
      expect(reply.headers.get("access-control-allow-origin")).toBe("*");
      expect(reply.headers.get("access-control-allow-credentials")).toBeNull();
    } finally {
      await server.stop();
    }
  });

  it("rejects origins with paths, and * mixed with origins", () => {
    expect(() => loadConfig({ IDHUB_CORS_ORIGINS: "https://app.example.com/path" })).toThrow(/IDHUB_CORS_ORIGINS/);
    expect(() => loadConfig({ IDHUB_CORS_ORIGINS: "*,https://app.example.com" })).toThrow(/IDHUB_CORS_ORIGINS/);
    expect(loadConfig({ IDHUB_CORS_ORIGINS: "https://a.example.com,http://127.0.0.1:3000" }).corsOrigins).toEqual([
      "https://a.example.com",
      "http://127.0.0.1:3000",
    ]);
  });
});

describe("request ids", () => {
  const fx = withServer();

  it("keep a safe incoming X-Request-Id, echo it, log it, and use it as the Trusted Twin error trace", async () => {
    const reply = await fx.server.http("GET", "/twins/nope", { secret: "bad", headers: { "x-request-id": "lb-4711.a_b" } });
    expect(reply.headers.get("x-request-id")).toBe("lb-4711.a_b");
    expect(reply.body.trace).toBe("lb-4711.a_b");
    const logged = fx.server.logs.map((line) => JSON.parse(line)).filter((entry) => entry.reqId === "lb-4711.a_b");
    expect(logged.length).toBeGreaterThan(0);
  });

  it("replace an unsafe or oversized one with a generated id", async () => {
    for (const incoming of ["a b", "x".repeat(65), "<script>", "a;b", "a\tb"]) {
      const reply = await fx.server.http("GET", "/nope", { headers: { "x-request-id": incoming } });
      const id = reply.headers.get("x-request-id");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(reply.body.trace).toBe(id);
    }
  });
});
