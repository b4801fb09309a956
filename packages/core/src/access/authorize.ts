import { forbidden } from "../errors.js";
import type { Action } from "./actions.js";
import type { Principal } from "./principal.js";
import { permits } from "./statement.js";

/** The first step of every use case: is the caller's role allowed this action? */
export function authorize(principal: Principal, action: Action): void {
  if (!permits(principal.statement, action)) {
    throw forbidden("access.actionNotPermitted", `Action '${action}' is not permitted for this user's role.`, {
      action,
    });
  }
}
