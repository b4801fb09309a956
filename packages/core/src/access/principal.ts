import type { JsonObject } from "../shared/json.js";
import type { Statement } from "./statement.js";
import type { RoleRules } from "./role.js";

/**
 * Who is calling: resolved once per request by authentication and handed to every use case.
 * `dict` is the decoded `X-TrustedTwin` header (rule variable DICT).
 */
export interface Principal {
  account: string;
  address: string;
  user: string;
  role: string;
  statement: Statement;
  rules: RoleRules;
  userDescription: JsonObject | null;
  dict: JsonObject;
}
