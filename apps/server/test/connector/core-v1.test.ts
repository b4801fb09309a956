import type { CreatedAccount } from "@idhub/core";
import { testDialects } from "@idhub/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { expectConnectorError, expectConnectorHeaders } from "../support/assertions.js";
import type { Reply, RequestOptions } from "../support/http.js";
import { withServer } from "../support/server.js";

// The same surface over /api/core/v1 with plain HTTP requests, as Connector 7.x and SDK 7.x speak
// it: 7.x DTO shapes (relationships carry `templateId`, templates and tokens `reference {truncated,
// url}`), the IdentityMetadata acceptance tables D1–D18, and the wire details (bodyless PUTs).

const P = "/api/core/v1";
const ARBITRARY = { "@type": "ArbitraryRelationshipTemplateContent", value: { a: "b" } };
const CREATION = { "@type": "ArbitraryRelationshipCreationContent", value: {} };
const inTenMinutes = () => new Date(Date.now() + 10 * 60_000).toISOString();
const PATTERN =
  "reference must match pattern did:e:((([A-Za-z0-9]+(-[A-Za-z0-9]+)*)\\.)+[a-z]{2,}|localhost):dids:[0-9a-f]{22}";
const NOT_FOUND = "There is no stored IdentityMetadata for the specified combination of reference and key.";

describe.each(testDialects)("Connector 7.x shapes over /api/core/v1 (%s)", (dialect) => {
  const fx = withServer(dialect, { accountA: "A", accountB: "B" });
  let addressA: string;
  let addressB: string;

  const as = (account: CreatedAccount) => (method: string, path: string, options: RequestOptions = {}): Promise<Reply> =>
    fx.server.http(method, P + path, { ...options, headers: { "X-API-KEY": account.secret, ...options.headers } });
  let a: ReturnType<typeof as>;
  let b: ReturnType<typeof as>;
  const ok = (reply: Reply, status = 200) => {
    expect({ status: reply.status, text: reply.status === status ? "" : reply.text }).toEqual({ status, text: "" });
    expectConnectorHeaders(reply);
    if (status === 204) {
      expect(reply.text).toBe("");
      return undefined;
    }
    expect(Object.keys(reply.body)).toEqual(["result"]);
    return reply.body.result;
  };
  /** The bodyless PUT the SDKs send: form content type, length 0. */
  const bodyless = { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" };

  beforeAll(async () => {
    a = as(fx.accountA);
    b = as(fx.accountB);
    addressA = ok(await a("GET", "/Account/IdentityInfo")).address;
    addressB = ok(await b("GET", "/Account/IdentityInfo")).address;
  });

  it("establishes, accepts, terminates and decomposes with 7.x DTOs", async () => {
    const template = ok(await a("POST", "/RelationshipTemplates/Own", { body: { maxNumberOfAllocations: 1, expiresAt: inTenMinutes(), content: ARBITRARY } }), 201);
    expect(Object.keys(template).sort()).toEqual(
      ["content", "createdAt", "createdBy", "createdByDevice", "expiresAt", "id", "isOwn", "maxNumberOfAllocations", "reference"].sort(),
    );
    expect(template.reference.truncated).toMatch(/^UkxU/);
    expect(template.reference.url).toMatch(new RegExp(`^https://localhost/r/${template.id}#[A-Za-z0-9_-]+$`));
    expect(template).not.toHaveProperty("truncatedReference");

    const tokenReply = await a("POST", `/RelationshipTemplates/Own/${template.id}/Token`, bodyless);
    const token = ok(tokenReply, 201);
    expect(tokenReply.headers.get("location")).toBe("_");
    expect(token).toMatchObject({ isOwn: true, isEphemeral: true, content: { "@type": "TokenContentRelationshipTemplate", templateId: template.id } });
    expect(token.reference.truncated).toMatch(/^VE9L/);
    expect(token).not.toHaveProperty("truncatedReference");

    // load through the 7.x URL form of the token reference
    const loaded = ok(await b("POST", "/RelationshipTemplates/Peer", { body: { reference: token.reference.url } }), 201);
    expect(loaded).toMatchObject({ id: template.id, isOwn: false, reference: template.reference });

    expect(ok(await b("PUT", "/Relationships/CanCreate", { body: { templateId: template.id, creationContent: CREATION } }))).toEqual({ isSuccess: true });
    const created = ok(await b("POST", "/Relationships", { body: { templateId: template.id, creationContent: CREATION } }), 201);
    expect(Object.keys(created).sort()).toEqual(["auditLog", "creationContent", "id", "peer", "peerIdentity", "status", "templateId"]);
    expect(created).toMatchObject({ templateId: template.id, status: "Pending", peer: addressA, peerIdentity: { address: addressA } });
    expect(created.auditLog[0]).not.toHaveProperty("oldStatus");
    expect(new Date(created.auditLog[0].createdAt).toISOString()).toBe(created.auditLog[0].createdAt);

    const accepted = ok(await a("PUT", `/Relationships/${created.id}/Accept`, bodyless));
    expect(accepted).toMatchObject({ status: "Active", peer: addressB, templateId: template.id });
    ok(await b("PUT", `/Relationships/${created.id}/Terminate`, bodyless));
    // both filter names work on this prefix too
    expect(ok(await a("GET", `/Relationships?templateId=${template.id}`)).map((r: { id: string }) => r.id)).toEqual([created.id]);
    expect(ok(await a("GET", `/Relationships?template.id=${template.id}&status=Terminated&status=Active`)).map((r: { id: string }) => r.id)).toEqual([created.id]);

    ok(await a("DELETE", `/Relationships/${created.id}`), 204);
    expect(ok(await a("GET", "/Relationships"))).toEqual([]);
    expect(ok(await b("GET", `/Relationships/${created.id}`)).status).toBe("DeletionProposed");
    ok(await b("DELETE", `/Relationships/${created.id}`), 204);
    expectConnectorError(await b("GET", `/Relationships/${created.id}`), 404, "error.runtime.recordNotFound");

    // 7.x only: deleting templates
    ok(await a("DELETE", `/RelationshipTemplates/${template.id}`), 204);
    expectConnectorError(await a("GET", `/RelationshipTemplates/${template.id}`), 404, "error.runtime.recordNotFound");
    expectConnectorError(await a("DELETE", `/RelationshipTemplates/${template.id}`), 404, "error.runtime.recordNotFound");
    ok(await b("DELETE", `/RelationshipTemplates/${template.id}`), 204);
    expect(ok(await b("GET", "/RelationshipTemplates/Peer"))).toEqual([]);
    // not on the 6.x prefix: the path exists there (GET), so 405
    const v2 = await fx.server.http("DELETE", `/api/v2/RelationshipTemplates/${template.id}`, { headers: { "X-API-KEY": fx.accountA.secret } });
    expectConnectorError(v2, 405, "error.connector.http.methodNotAllowed");
    expect(v2.headers.get("allow")).toBe("GET");
  });

  describe("IdentityMetadata over plain HTTP (acceptance tables)", () => {
    let relationshipId: string;
    beforeAll(async () => {
      const template = ok(await a("POST", "/RelationshipTemplates/Own", { body: { expiresAt: inTenMinutes(), content: ARBITRARY } }), 201);
      ok(await b("POST", "/RelationshipTemplates/Peer", { body: { reference: template.reference.truncated } }), 201);
      relationshipId = ok(await b("POST", "/Relationships", { body: { templateId: template.id, creationContent: CREATION } }), 201).id;
    });
    const put = (body: unknown) => a("PUT", "/IdentityMetadata", { body });
    const q = (reference: string, key?: string) =>
      `/IdentityMetadata?reference=${reference}${key === undefined ? "" : `&key=${encodeURIComponent(key).replace(/%20/g, "+")}`}`;

    it("PUT answers 200 for create and update alike, with the DTO and no key when there is none", async () => {
      const created = await put({ reference: addressB, value: "v1" });
      expect(ok(created)).toStrictEqual({ reference: addressB, value: "v1" });
      expect(created.headers.get("content-type")).toMatch(/^application\/json/);
      expect(ok(await put({ reference: addressB, value: "v2" }))).toStrictEqual({ reference: addressB, value: "v2" }); // D1
      expect(ok(await a("GET", q(addressB)))).toStrictEqual({ reference: addressB, value: "v2" });
    });

    it("D2/D18: no key, the key '' and named keys are separate records; key= matches only ''", async () => {
      ok(await put({ reference: addressA, key: "a", value: "keyed" }));
      ok(await put({ reference: addressA, value: "none" }));
      ok(await put({ reference: addressA, key: "", value: "empty" }));
      expect(ok(await a("GET", q(addressA)))).toStrictEqual({ reference: addressA, value: "none" });
      expect(ok(await a("GET", q(addressA, "")))).toStrictEqual({ reference: addressA, key: "", value: "empty" });
      expect(ok(await a("GET", q(addressA, "a")))).toStrictEqual({ reference: addressA, key: "a", value: "keyed" });
      ok(await a("DELETE", q(addressA, "")), 204);
      expectConnectorError(await a("GET", q(addressA, "")), 404, "error.runtime.identityMetadata.notFound");
      expect(ok(await a("GET", q(addressA))).value).toBe("none");
    });

    it("D3: a peer is familiar in every status (Pending now; Active, Terminated, DeletionProposed later)", async () => {
      ok(await b("PUT", "/IdentityMetadata", { body: { reference: addressA, value: "pending" } }));
      ok(await a("PUT", `/Relationships/${relationshipId}/Accept`, bodyless));
      ok(await put({ reference: addressB, key: "active", value: 1 }));
      ok(await a("PUT", `/Relationships/${relationshipId}/Terminate`, bodyless));
      ok(await put({ reference: addressB, key: "terminated", value: 1 }));
    });

    it("D6–D11, D13: errors with upstream's codes and first messages", async () => {
      const stranger = "did:e:localhost:dids:0123456789abcdef012345";
      expectConnectorError(await a("GET", q(stranger)), 404, "error.runtime.identityMetadata.notFound");
      expect((await a("GET", q(stranger))).body.error.message).toBe(NOT_FOUND);
      expectConnectorError(await a("DELETE", q(stranger, "k")), 404, "error.runtime.identityMetadata.notFound");
      const unfamiliar = await put({ reference: stranger, value: null });
      expectConnectorError(unfamiliar, 400, "error.runtime.identityMetadata.unfamiliarReferencedIdentity");
      const cases: Array<[unknown, string]> = [
        [{ reference: addressB }, "must have required property 'value'"],
        [{ value: 1 }, "must have required property 'reference'"],
        [{ reference: addressB, value: 1, extra: 1 }, "must NOT have additional properties"],
        [{ reference: addressB, value: 1, expectedVersion: 1 }, "must NOT have additional properties"],
        [{ reference: addressB, key: null, value: 1 }, "key must be string"],
        [{ reference: "did:e:127.0.0.1:dids:0123456789abcdef012345", value: 1 }, PATTERN],
        [{ reference: `xx${addressB}yy`, value: 1 }, PATTERN],
        [[], "must be object"],
      ];
      for (const [body, message] of cases) {
        const reply = await put(body);
        expectConnectorError(reply, 400, "error.runtime.validation.invalidPropertyValue");
        expect(reply.body.error.message).toBe(message);
      }
      for (const method of ["GET", "DELETE"]) {
        const missing = await a(method, "/IdentityMetadata");
        expectConnectorError(missing, 400, "error.runtime.validation.invalidPropertyValue");
        expect(missing.body.error.message).toBe("must have required property 'reference'");
        const repeated = await a(method, `/IdentityMetadata?reference=${addressB}&key=a&key=b`);
        expect(repeated.body.error.message).toBe("key must be string");
        const bad = await a(method, "/IdentityMetadata?reference=");
        expect(bad.body.error.message).toBe(PATTERN);
      }
      // D13 deliberate deviation: null is a value like any other
      expect(ok(await put({ reference: addressB, key: "null", value: null }))).toStrictEqual({ reference: addressB, key: "null", value: null });
    });

    it("D14–D17: malformed JSON, authentication, methods, Accept", async () => {
      expectConnectorError(
        await a("PUT", "/IdentityMetadata", { body: "{", headers: { "content-type": "application/json" } }),
        400,
        "error.connector.validation.invalidJsonInPayload",
      );
      expectConnectorError(await fx.server.http("PUT", `${P}/IdentityMetadata`, { body: { reference: addressB, value: 1 } }), 401, "error.connector.unauthorized");
      expectConnectorError(
        await fx.server.http("GET", `${P}/IdentityMetadata?reference=${addressB}`, { headers: { "x-api-key": "wrong" } }),
        401,
        "error.connector.unauthorized",
      );
      for (const method of ["POST", "PATCH"]) {
        const reply = await a(method, "/IdentityMetadata", { body: {} });
        expectConnectorError(reply, 405, "error.connector.http.methodNotAllowed");
        expect(reply.headers.get("allow")?.split(", ").sort()).toEqual(["DELETE", "GET", "PUT"]);
      }
      expectConnectorError(
        await a("PUT", "/IdentityMetadata", { body: { reference: addressB, value: 1 }, headers: { accept: "text/html" } }),
        406,
        "error.connector.http.notAcceptable",
      );
    });

    it("conditional requests (our extension): ETag answers, If-Match → 412 on a stale version", async () => {
      const first = await put({ reference: addressA, key: "etag", value: 1 });
      expect(first.headers.get("etag")).toBe('"1"');
      const second = await a("PUT", "/IdentityMetadata", { body: { reference: addressA, key: "etag", value: 2 }, headers: { "If-Match": '"1"' } });
      expect(ok(second)).toStrictEqual({ reference: addressA, key: "etag", value: 2 });
      expect(second.headers.get("etag")).toBe('"2"');
      expect((await a("GET", q(addressA, "etag"))).headers.get("etag")).toBe('"2"');
      for (const tag of ['"1"', 'W/"2"', "garbage"]) {
        expectConnectorError(
          await a("PUT", "/IdentityMetadata", { body: { reference: addressA, key: "etag", value: 3 }, headers: { "If-Match": tag } }),
          412,
          "error.connector.preconditionFailed",
        );
      }
      expectConnectorError(await a("DELETE", q(addressA, "etag"), { headers: { "If-Match": '"1"' } }), 412, "error.connector.preconditionFailed");
      expect(ok(await a("GET", q(addressA, "etag"))).value).toBe(2);
      ok(await a("DELETE", q(addressA, "etag"), { headers: { "If-Match": '"2"' } }), 204);
      ok(await put({ reference: addressA, key: "etag", value: 4 }), 200);
      ok(await a("PUT", "/IdentityMetadata", { body: { reference: addressA, key: "etag", value: 5 }, headers: { "If-Match": "*" } }), 200);
    });

    it("D4/D5: decomposing deletes this account's metadata about the peer, not about itself, and the peer becomes unfamiliar", async () => {
      ok(await put({ reference: addressA, key: "self", value: 1 }));
      ok(await a("DELETE", `/Relationships/${relationshipId}`), 204);
      for (const key of [undefined, "active", "terminated", "null"]) {
        expectConnectorError(await a("GET", q(addressB, key)), 404, "error.runtime.identityMetadata.notFound");
      }
      expect(ok(await a("GET", q(addressA, "self"))).value).toBe(1);
      expectConnectorError(await put({ reference: addressB, value: 1 }), 400, "error.runtime.identityMetadata.unfamiliarReferencedIdentity");
      // the peer keeps its metadata (DeletionProposed) until it decomposes too
      expect(ok(await b("GET", q(addressA))).value).toBe("pending");
      ok(await b("PUT", "/IdentityMetadata", { body: { reference: addressA, key: "dp", value: 1 } }));
      ok(await b("DELETE", `/Relationships/${relationshipId}`), 204);
      expectConnectorError(await b("GET", q(addressA)), 404, "error.runtime.identityMetadata.notFound");
    });
  });

  it("6.x and 7.x never mix: the same relationship on both prefixes", async () => {
    const x = await fx.server.createAccount();
    const y = await fx.server.createAccount();
    const [px, py] = [as(x), as(y)];
    const template = ok(await px("POST", "/RelationshipTemplates/Own", { body: { expiresAt: inTenMinutes(), content: ARBITRARY } }), 201);
    ok(await py("POST", "/RelationshipTemplates/Peer", { body: { reference: template.reference.truncated, password: undefined } }), 201);
    const rel = ok(await py("POST", "/Relationships", { body: { templateId: template.id, creationContent: CREATION } }), 201);
    const v2 = await fx.server.http("GET", `/api/v2/Relationships/${rel.id}`, { headers: { "X-API-KEY": x.secret } });
    expect(v2.status).toBe(200);
    expect(v2.body.result).not.toHaveProperty("templateId");
    expect(v2.body.result.template).toMatchObject({ id: template.id, isOwn: true, truncatedReference: template.reference.truncated });
    expect(v2.body.result.template).not.toHaveProperty("reference");
    const v7 = ok(await px("GET", `/Relationships/${rel.id}`));
    expect(v7).not.toHaveProperty("template");
    expect(v7.templateId).toBe(template.id);
  });
});
