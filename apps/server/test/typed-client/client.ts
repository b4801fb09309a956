// A REST client typed from the committed OpenAPI document by openapi-typescript, calling both
// REST surfaces with openapi-fetch. test/cross-cutting/typed-client.test.ts generates
// ./generated/openapi.d.ts, type-checks this file with skipLibCheck: false (tsconfig.json here)
// and runs it against a real server. The @ts-expect-error lines prove the generated types refuse
// invalid bodies: if a type accepted one, its directive would be unused and tsc would fail.
import createClient from "openapi-fetch";
import type { paths } from "./generated/openapi.js";

export async function exercise(baseUrl: string, secret: string, address: string) {
  const client = createClient<paths>({ baseUrl, headers: { authorization: secret } });

  const whoami = await client.GET("/whoami");
  const created = await client.POST("/twins", { body: { description: { colour: "red" } } });
  const twin = created.data?.creation_certificate.uuid ?? "";
  const got = await client.GET("/twins/{twin}", { params: { path: { twin } } });
  const etag = got.response.headers.get("etag") ?? "";
  const patched = await client.PATCH("/twins/{twin}", {
    params: { path: { twin }, header: { "if-match": etag } },
    body: { description: { colour: "blue" } },
  });
  const stale = await client.PATCH("/twins/{twin}", { params: { path: { twin }, header: { "if-match": etag } }, body: {} });
  const missing = await client.GET("/twins/{twin}", { params: { path: { twin: "00000000-0000-4000-8000-000000000000" } } });

  const connector = createClient<paths>({ baseUrl, headers: { "x-api-key": secret } });
  const info = await connector.GET("/api/v2/Account/IdentityInfo");
  const upserted = await connector.PUT("/api/v2/IdentityMetadata", { body: { reference: address, key: "k", value: { n: 1 } } });
  const nullValue = await connector.PUT("/api/core/v1/IdentityMetadata", { body: { reference: address, value: null } });
  const read = await connector.GET("/api/core/v1/IdentityMetadata", { params: { query: { reference: address, key: "k" } } });
  const notFound = await connector.GET("/api/v2/IdentityMetadata", { params: { query: { reference: address, key: "none" } } });

  // Bodies the contract refuses do not type-check (the server would answer 400).
  // @ts-expect-error value is required
  void (() => connector.PUT("/api/v2/IdentityMetadata", { body: { reference: address } }));
  // @ts-expect-error key is a string or absent, never null
  void (() => connector.PUT("/api/v2/IdentityMetadata", { body: { reference: address, key: null, value: 1 } }));
  // The generated body type is closed (additionalProperties: false). openapi-fetch's generic init
  // parameter escapes TypeScript's excess-property check, so this is checked on the type itself.
  type UpsertBody = paths["/api/v2/IdentityMetadata"]["put"]["requestBody"]["content"]["application/json"];
  // @ts-expect-error no other properties
  const extra: UpsertBody = { reference: address, value: 1, owner: "x" };
  void extra;
  // @ts-expect-error the body is required
  void (() => connector.PUT("/api/v2/IdentityMetadata", {}));

  return {
    whoami: whoami.data?.account,
    twinStatus: got.data?.status,
    etag,
    patchedColour: (patched.data?.description as { colour?: string } | null | undefined)?.colour,
    newEtag: patched.response.headers.get("etag"),
    staleSubcode: stale.error?.subcode,
    missingSubcode: missing.error?.subcode,
    address: info.data?.result.address,
    upserted: upserted.data?.result,
    nullValue: nullValue.data?.result,
    read: read.data?.result,
    notFoundCode: notFound.error?.error.code,
  };
}
