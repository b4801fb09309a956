import { expect } from "vitest";
import type { HttpClient } from "./http.js";

export interface IssuedUser {
  user: string;
  role: string;
  secret: string;
}

/**
 * Over Trusted Twin REST, as `adminSecret`: a role with the statement, a user holding it, and the
 * user's secret through the PIN flow.
 */
export async function userWithStatement(
  http: HttpClient,
  adminSecret: string,
  statement: { effect: "allow" | "deny"; actions: string[] | null },
): Promise<IssuedUser> {
  const role = await http("POST", "/roles", { secret: adminSecret, body: { name: "Limited", statement } });
  expect(role.status, role.text).toBe(201);
  const user = await http("POST", "/users", { secret: adminSecret, body: { role: role.body.uuid, name: "Limited user" } });
  expect(user.status, user.text).toBe(201);
  const secret = await issueSecret(http, adminSecret, user.body.account, user.body.uuid);
  return { user: user.body.uuid, role: role.body.uuid, secret };
}

/** The two-step Trusted Twin secret issue: PIN (authenticated), then secret (unauthenticated). */
export async function issueSecret(
  http: HttpClient,
  adminSecret: string,
  account: string,
  user: string,
  validityTs?: number | null,
): Promise<string> {
  const body = validityTs === undefined ? undefined : { validity_ts: validityTs };
  const pin = await http("POST", `/users/${user}/secrets`, { secret: adminSecret, body });
  expect(pin.status, pin.text).toBe(201);
  const issued = await http("POST", `/secrets/${account}/${pin.body.pin}`);
  expect(issued.status, issued.text).toBe(201);
  return issued.body.secret;
}
