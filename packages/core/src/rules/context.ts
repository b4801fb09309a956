import type { JsonValue } from "../shared/json.js";
import type { Value } from "./values.js";

/** The variables a rule can read (domain.md, "Rules"); a missing variable is null. */
export interface RuleContext {
  account?: string | null;
  user?: string | null;
  role?: string | null;
  USER?: JsonValue;
  DICT?: JsonValue;
  twin?: string | null;
  TWIN?: JsonValue;
  twin_status?: string | null;
  identity?: string | null;
  now?: number;
  [name: string]: unknown;
}

/** A compiled node: a function of the context. */
export type Evaluator = (ctx: RuleContext) => Value;
