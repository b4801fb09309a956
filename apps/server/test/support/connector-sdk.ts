import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import AjvModule from "ajv";
import { ConnectorClient } from "@nmshd/connector-sdk";
import type { TestDialect } from "@idhub/db/testing";
import { expect } from "vitest";
import { expectContract } from "./openapi-contract.js";
import { startTestServer, type TestServer } from "./server.js";

// The published @nmshd/connector-sdk 6.7.0 and its closed JSON schemas (schemas.json), as upstream's
// Connector tests use them: every success is checked against the SDK's own schema.

const require = createRequire(import.meta.url);
const SCHEMAS = JSON.parse(readFileSync(require.resolve("@nmshd/connector-sdk/schemas.json"), "utf8")) as { $id: string };

const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as new (options: object) => {
  addSchema(schema: object): void;
  getSchema(ref: string): ((data: unknown) => boolean) & { errors?: unknown };
};
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(SCHEMAS);

/** Asserts that a value matches a definition of the SDK's schemas.json (closed: no extra fields). */
export function expectSdkSchema(definition: string, value: unknown): void {
  const validate = ajv.getSchema(`${SCHEMAS.$id}#/definitions/${definition}`);
  if (!validate) throw new Error(`no schema ${definition}`);
  const ok = validate(value);
  expect(ok ? null : { definition, errors: validate.errors, value }).toBeNull();
}

/**
 * The real SDK client. Its endpoints share one axios instance (a protected field of each endpoint):
 * an interceptor checks every answer against the committed OpenAPI document.
 */
interface SdkResponse {
  status: number;
  data: unknown;
  headers: Record<string, unknown>;
  config: { method?: string; url?: string };
  request?: { path?: string };
}
interface SdkAxios {
  interceptors: { response: { use(onAnswer: (response: SdkResponse) => SdkResponse): unknown } };
}

export function connectorClient(baseUrl: string, apiKey: string) {
  const client = ConnectorClient.create({ baseUrl, apiKey });
  const axios = (client.account as unknown as { httpClient: SdkAxios }).httpClient;
  axios.interceptors.response.use((response) => {
    const path: string = response.request?.path ?? new URL(response.config.url ?? "", baseUrl).pathname;
    const headers = { get: (name: string) => (response.headers[name.toLowerCase()] as string | undefined) ?? null };
    expectContract({ method: response.config.method ?? "get", path, status: response.status, headers, body: response.data });
    return response;
  });
  return client;
}
export type Client = ReturnType<typeof connectorClient>;

interface Result<T> {
  isSuccess: boolean;
  isError: boolean;
  result: T;
  error: { code: string; message: string; id: string; docs: string; time: string };
}

/** The success value of an SDK call, checked against the SDK's schema when one is named. */
export function ok<T>(response: Result<T>, definition?: string): T {
  expect(response.isError ? response.error : null).toBeNull();
  if (definition) expectSdkSchema(definition, response.result);
  return response.result;
}

/** A failed SDK call with exactly this code and message (the error envelope checked too). */
export function failed(response: Result<unknown>, code: string, message?: string | RegExp): void {
  expect(response.isSuccess).toBe(false);
  expect(response.error.code).toBe(code);
  if (typeof message === "string") expect(response.error.message).toBe(message);
  else if (message) expect(response.error.message).toMatch(message);
  expect(response.error.id).toMatch(/^ERR[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{17}$/);
  expect(response.error.docs).toBe(`https://enmeshed.eu/integrate/error-codes#${code}`);
  expectSdkSchema("ConnectorError", JSON.parse(JSON.stringify(response.error)));
}

// Upstream's flows as the ported tests use them (shared by connector/sdk-*.test.ts).

export const ARBITRARY = { "@type": "ArbitraryRelationshipTemplateContent", value: { a: "b" } };
export const CREATION = { "@type": "ArbitraryRelationshipCreationContent", value: {} };
export const inTenMinutes = () => new Date(Date.now() + 10 * 60_000).toISOString();
export const randomAddress = () =>
  `did:e:localhost:dids:${Array.from({ length: 22 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("")}`;

export const UNFAMILIAR =
  "The reference of the IdentityMetadata resolves neither to the address of a peer of a Relationship nor the address of the own Identity.";
export const METADATA_NOT_FOUND = "There is no stored IdentityMetadata for the specified combination of reference and key.";
export const REL_NOT_FOUND = "Relationship not found. Make sure the ID exists and the record is not expired.";
export const RLT_NOT_FOUND = "RelationshipTemplate not found. Make sure the ID exists and the record is not expired.";

/** Two accounts A and B on one real server, one SDK client each (the ported suites' starting point). */
export interface SdkWorld {
  server: TestServer;
  a: Client;
  b: Client;
  addressA: string;
  addressB: string;
}

export async function startSdkWorld(dialect: TestDialect): Promise<SdkWorld> {
  const server = await startTestServer(dialect);
  const accounts = [await server.createAccount("A"), await server.createAccount("B")];
  const a = connectorClient(server.url, accounts[0]!.secret);
  const b = connectorClient(server.url, accounts[1]!.secret);
  return {
    server,
    a,
    b,
    addressA: ok(await a.account.getIdentityInfo(), "IdentityInfo").address,
    addressB: ok(await b.account.getIdentityInfo(), "IdentityInfo").address,
  };
}

/** upstream `establishRelationship(A = templator, B = requester)`, through a token. */
export async function establish(templator: Client, requester: Client, options: { accept?: boolean } = {}) {
  const template = ok(
    await templator.relationshipTemplates.createOwnRelationshipTemplate({
      maxNumberOfAllocations: 1,
      expiresAt: inTenMinutes(),
      content: ARBITRARY,
    } as never),
    "ConnectorRelationshipTemplate",
  );
  const token = ok(await templator.relationshipTemplates.createTokenForOwnRelationshipTemplate(template.id), "ConnectorToken");
  const loaded = ok(
    await requester.relationshipTemplates.loadPeerRelationshipTemplate({ reference: token.truncatedReference }),
    "ConnectorRelationshipTemplate",
  );
  expect(loaded).toMatchObject({ id: template.id, isOwn: false });
  const relationship = ok(
    await requester.relationships.createRelationship({ templateId: template.id, creationContent: CREATION } as never),
    "ConnectorRelationship",
  );
  expect(relationship.status).toBe("Pending");
  ok(await templator.account.sync());
  if (options.accept !== false) {
    const accepted = ok(await templator.relationships.acceptRelationship(relationship.id), "ConnectorRelationship");
    expect(accepted.status).toBe("Active");
  }
  return { template, token, relationship };
}

export const lastReason = (r: { auditLog: Array<{ reason: string }> }) => r.auditLog[r.auditLog.length - 1]!.reason;

/** Two fresh accounts with their SDK clients and addresses. */
export async function pair(server: TestServer) {
  const [x, y] = [await server.createAccount(), await server.createAccount()];
  const cx = connectorClient(server.url, x.secret);
  const cy = connectorClient(server.url, y.secret);
  return {
    x: cx,
    y: cy,
    addressX: ok(await cx.account.getIdentityInfo()).address,
    addressY: ok(await cy.account.getIdentityInfo()).address,
  };
}
