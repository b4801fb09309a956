import type { Principal } from "../access/kernel.js";
import { grants, ruleContext } from "../twins/index.js";
import type { Twin } from "../twins/index.js";
import { isExpired, type TwinIdentity } from "./identity.js";

/**
 * Visible to a caller (domain.md): the caller's account owns it, or it is valid, public and its rule
 * is true for the caller — and, when the caller's role has an `identityRule`, that rule is true too.
 */
export function isVisible(principal: Principal, identity: TwinIdentity, twin: Twin, now: number): boolean {
  const own = identity.owner === principal.account;
  const identityRule = principal.rules.identityRule;
  if (own && identityRule === null) return true;
  if (!own && (identity.visibility === null || isExpired(identity, now))) return false;
  const ctx = ruleContext(principal, now, twin, identity.name);
  if (!own && !grants(identity.visibility!, ctx)) return false;
  return identityRule === null || grants(identityRule, ctx);
}

/** The role's `identityRule` for an identity name on a twin (true when the role has none). */
export function passesIdentityRule(principal: Principal, twin: Twin | undefined, name: string, now: number): boolean {
  const rule = principal.rules.identityRule;
  return rule === null || grants(rule, ruleContext(principal, now, twin, name));
}
