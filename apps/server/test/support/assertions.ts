import { expect } from "vitest";
import type { Reply } from "./http.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Nothing that looks like a stack frame or SQL ever reaches a client. */
export function expectNoLeak(reply: Reply): void {
  expect(reply.text).not.toMatch(/\n\s+at /);
  expect(reply.text).not.toMatch(/\bat (async )?[\w.<>]+ \(/);
  expect(reply.text).not.toMatch(/node_modules|\.ts:\d+|\.js:\d+/);
  expect(reply.text).not.toMatch(/\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET)\b/i);
  expect(reply.text).not.toMatch(/SQLITE_|sqlite|postgres/i);
}

/** A Trusted Twin error: `{subcode, description, trace}` with the status in the subcode. */
export function expectTrustedTwinError(reply: Reply, subcode: number): void {
  expect({ status: reply.status, body: reply.body }).toMatchObject({ status: Math.floor(subcode / 1000), body: { subcode } });
  expect(Object.keys(reply.body).sort()).toEqual(["description", "subcode", "trace"]);
  expect(reply.body.description).toEqual(expect.any(String));
  expect(reply.body.trace).toMatch(UUID);
  expectNoLeak(reply);
}

/** A Connector error: `{"error": {code, message, id, time, docs}}` plus the timing headers. */
export function expectConnectorError(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({ status, code });
  const { error } = reply.body;
  expect(Object.keys(reply.body)).toEqual(["error"]);
  expect(Object.keys(error)).toEqual(["code", "message", "id", "time", "docs"]);
  expect(error.id).toMatch(/^ERR[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{17}$/);
  expect(new Date(error.time).toISOString()).toBe(error.time);
  expect(error.docs).toBe(`https://enmeshed.eu/integrate/error-codes#${code}`);
  expectConnectorHeaders(reply);
  expectNoLeak(reply);
}

export function expectConnectorHeaders(reply: Reply): void {
  expect(reply.headers.get("x-response-duration-ms")).toMatch(/^\d+$/);
  expect(new Date(reply.headers.get("x-response-time")!).toISOString()).toBe(reply.headers.get("x-response-time"));
}
