import { describe, expect, it } from "vitest";
import { expectConnectorError, expectConnectorHeaders, expectNoLeak, expectTrustedTwinError } from "../support/assertions.js";
import type { Reply } from "../support/http.js";
import { withServer, type TestServer } from "../support/server.js";
import { contractFetch } from "../support/http.js";

const INVALID_UTF8 = new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"name":"\xff\xfe"}
const BAD_DICT = { "X-TrustedTwin": "not base64 json!" };

/** Sends a body in chunks without Content-Length. */
function chunked(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(16 * 1024, size - sent)).fill(0x20);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

describe("failures in each surface's documented envelope", () => {
  const fx = withServer("sqlite", { admin: "account 1" });

  describe("Trusted Twin", () => {
    const tt = (method: string, path: string, options: Parameters<TestServer["http"]>[2] = {}) =>
      fx.server.http(method, path, { secret: fx.admin.secret, ...options });

    it("unknown routes and wrong methods are 404653, with or without a secret", async () => {
      expectTrustedTwinError(await tt("GET", "/no/such/route"), 404653);
      expectTrustedTwinError(await fx.server.http("GET", "/no/such/route"), 404653);
      expectTrustedTwinError(await tt("PUT", "/users"), 404653);
      expectTrustedTwinError(await tt("DELETE", "/whoami"), 404653);
      expectTrustedTwinError(await tt("GET", "/users/a/b/c"), 404653);
    });

    it("bad JSON is 400415, invalid UTF-8 400314, a body over 64 kB 400141", async () => {
      expectTrustedTwinError(await tt("POST", "/users", { body: '{"role": ' }), 400415);
      expectTrustedTwinError(await tt("POST", "/users", { body: INVALID_UTF8 }), 400314);
      const big = JSON.stringify({ role: fx.admin.role.id, name: "x".repeat(70 * 1024) });
      expectTrustedTwinError(await tt("POST", "/users", { body: big }), 400141);
      const streamed = await contractFetch(`${fx.server.url}/users`, {
        method: "POST",
        headers: { authorization: fx.admin.secret },
        body: chunked(100 * 1024),
        duplex: "half",
      } as RequestInit);
      const reply = { status: streamed.status, headers: streamed.headers, text: await streamed.text() } as Reply;
      reply.body = JSON.parse(reply.text);
      expectTrustedTwinError(reply, 400141);
    });

    it("wrong types, unknown fields and non-object bodies are 400592", async () => {
      expectTrustedTwinError(await tt("POST", "/users", { body: { role: 42 } }), 400592);
      expectTrustedTwinError(await tt("POST", "/users", { body: [] }), 400592);
      expectTrustedTwinError(await tt("POST", "/users", { body: "null" }), 400592);
      expectTrustedTwinError(await tt("POST", "/users", { body: { role: fx.admin.role.id, extra: 1 } }), 400592);
      expectTrustedTwinError(await tt("GET", "/users/not-a-uuid"), 400592);
    });

    it("a missing or invalid secret is 401000; a bad X-TrustedTwin header 400592", async () => {
      expectTrustedTwinError(await fx.server.http("GET", "/users"), 401000);
      expectTrustedTwinError(await fx.server.http("GET", "/users", { secret: "nope" }), 401000);
      expectTrustedTwinError(await fx.server.http("GET", "/users", { headers: { Authorization: "Bearer " } }), 401000);
      expectTrustedTwinError(await tt("GET", "/users", { headers: BAD_DICT }), 400592);
      const dict = Buffer.from(JSON.stringify({ serial: "b0f5" })).toString("base64");
      expect((await tt("GET", "/whoami", { headers: { "X-TrustedTwin": dict } })).status).toBe(200);
    });
  });

  describe("Connector", () => {
    const key = () => ({ "X-API-KEY": fx.admin.secret });

    it("authentication comes before route matching: unknown route 401 without a key, 404 with one", async () => {
      for (const prefix of ["/api/core/v1", "/api/v2"]) {
        expectConnectorError(await fx.server.http("GET", `${prefix}/Nothing`), 401, "error.connector.unauthorized");
        expectConnectorError(await fx.server.http("GET", `${prefix}/Nothing`, { headers: key() }), 404, "error.connector.http.routeDoesNotExist");
        expectConnectorError(await fx.server.http("GET", prefix, { headers: key() }), 404, "error.connector.http.routeDoesNotExist");
        expectConnectorError(
          await fx.server.http("GET", `${prefix}/Account/IdentityInfo`, { headers: { "X-API-KEY": "wrong" } }),
          401,
          "error.connector.unauthorized",
        );
        expect((await fx.server.http("GET", `${prefix}/Nothing`)).body.error.message).toBe("Unauthorized.");
      }
    });

    it("a known path with another method is 405 with Allow", async () => {
      const reply = await fx.server.http("DELETE", "/api/v2/Account/IdentityInfo", { headers: key() });
      expectConnectorError(reply, 405, "error.connector.http.methodNotAllowed");
      expect(reply.headers.get("allow")).toBe("GET");
      expect((await fx.server.http("PUT", "/api/core/v1/Account/Sync", { headers: key() })).headers.get("allow")).toBe("POST");
    });

    it("an Accept header without JSON is 406; a body over 2 MB 413", async () => {
      expectConnectorError(
        await fx.server.http("GET", "/api/core/v1/Account/IdentityInfo", { headers: { ...key(), Accept: "text/html" } }),
        406,
        "error.connector.http.notAcceptable",
      );
      const ok = await fx.server.http("GET", "/api/core/v1/Account/IdentityInfo", {
        headers: { ...key(), Accept: "application/json, text/plain, */*" },
      });
      expect(ok.status).toBe(200);
      const big = new Uint8Array(2 * 1024 * 1024 + 1).fill(0x20);
      expectConnectorError(
        await fx.server.http("POST", "/api/v2/Account/Sync", { headers: { ...key(), "content-type": "application/json" }, body: big }),
        413,
        "error.connector.http.payloadTooLarge",
      );
    });

    it("Sync answers 204 with an empty body (also for the SDK's empty form PUT/POST), SyncInfo 200", async () => {
      const sync = await fx.server.http("POST", "/api/core/v1/Account/Sync", {
        headers: { ...key(), "content-type": "application/x-www-form-urlencoded", "content-length": "0" },
        body: "",
      });
      expect(sync.status).toBe(204);
      expect(sync.text).toBe("");
      expectConnectorHeaders(sync);
      const info = await fx.server.http("GET", "/api/v2/Account/SyncInfo", { headers: key() });
      expect({ status: info.status, body: info.body }).toEqual({ status: 200, body: { result: {} } });
    });

    it("a bad X-TrustedTwin header is a 400 in the Connector envelope", async () => {
      expectConnectorError(
        await fx.server.http("GET", "/api/v2/Account/IdentityInfo", { headers: { ...key(), ...BAD_DICT } }),
        400,
        "error.runtime.auth.invalidDictHeader",
      );
    });
  });

  describe("tRPC", () => {
    const expectTrpcError = (reply: Reply, status: number, code: string) => {
      expect({ status: reply.status, code: reply.body?.error?.data?.code }).toEqual({ status, code });
      expect(reply.body.error.data).not.toHaveProperty("stack");
      expectNoLeak(reply);
    };

    it("answers unknown procedures, bad JSON, bad UTF-8, missing secrets and oversized bodies in tRPC's shape", async () => {
      const auth = { authorization: fx.admin.secret, "content-type": "application/json" };
      expectTrpcError(await fx.server.http("GET", "/trpc/access.nothing", { headers: auth }), 404, "NOT_FOUND");
      expectTrpcError(await fx.server.http("POST", "/trpc/access.users.create", { headers: auth, body: "{" }), 400, "BAD_REQUEST");
      expectTrpcError(await fx.server.http("POST", "/trpc/access.users.create", { headers: auth, body: new Uint8Array([0xff, 0xfe]) }), 400, "BAD_REQUEST");
      const textPlain = await fx.server.http("POST", "/trpc/access.users.create", { secret: fx.admin.secret, body: "{}" });
      expectTrpcError(textPlain, 415, "UNSUPPORTED_MEDIA_TYPE");
      expectTrpcError(await fx.server.http("GET", "/trpc/access.whoami"), 401, "UNAUTHORIZED");
      expectTrpcError(await fx.server.http("GET", "/trpc/access.whoami", { secret: "nope" }), 401, "UNAUTHORIZED");
      expectTrpcError(await fx.server.http("GET", "/trpc/access.whoami", { headers: { ...auth, ...BAD_DICT } }), 400, "BAD_REQUEST");
      expectTrpcError(await fx.server.http("GET", "/trpc/access.users.create", { headers: auth }), 405, "METHOD_NOT_SUPPORTED");
      const big = new Uint8Array(8 * 1024 * 1024 + 1).fill(0x20);
      expectTrpcError(await fx.server.http("POST", "/trpc/access.users.create", { headers: auth, body: big }), 413, "PAYLOAD_TOO_LARGE");
      const invalid = await fx.server.http("POST", "/trpc/access.users.create", { headers: auth, body: { role: "x" } });
      expectTrpcError(invalid, 400, "BAD_REQUEST");
      expect(invalid.body.error.data.domain).toMatchObject({ kind: "INVALID", code: "validation.invalidInput" });
    });
  });
});
