import { ACTIONS, type Action } from "./actions.js";

export interface Statement {
  effect: "allow" | "deny";
  /** null with `deny` means "deny nothing": every action is allowed. */
  actions: Action[] | null;
}

export const SUPER_ADMIN_STATEMENT: Statement = { effect: "deny", actions: null };

export function permits(statement: Statement, action: Action): boolean {
  const listed = statement.actions?.includes(action) ?? false;
  return statement.effect === "allow" ? listed : !listed;
}

/** The actions a statement permits, out of the closed list. */
export const permittedActions = (statement: Statement): Action[] => ACTIONS.filter((a) => permits(statement, a));

/** True when `inner` permits nothing that `outer` does not (the no-escalation rule). */
export const isWithin = (inner: Statement, outer: Statement): boolean =>
  ACTIONS.every((a) => !permits(inner, a) || permits(outer, a));
