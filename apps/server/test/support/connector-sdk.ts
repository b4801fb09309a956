import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import AjvModule from "ajv";
import { ConnectorClient } from "@nmshd/connector-sdk";
import { expect } from "vitest";
import { expectContract } from "./openapi-contract.js";

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
