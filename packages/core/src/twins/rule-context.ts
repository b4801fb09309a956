import type { Principal } from "../access/kernel.js";
import { forbidden } from "../errors.js";
import { compileRule, type RuleContext } from "../rules/index.js";
import type { Twin } from "./twin.js";

/**
 * The variables a rule sees (domain.md, "Rules"): the caller's ids, USER (the caller's user
 * description), DICT (the X-TrustedTwin header), the twin, its description and status, the
 * identity name, and `now` in epoch SECONDS.
 */
export function ruleContext(principal: Principal, now: number, twin: Twin | undefined, identity: string | null): RuleContext {
  return {
    account: principal.account,
    user: principal.user,
    role: principal.role,
    USER: principal.userDescription ?? {},
    DICT: principal.dict,
    twin: twin?.id ?? null,
    TWIN: twin?.description ?? {},
    twin_status: twin?.status ?? null,
    identity,
    now: now / 1000,
  };
}

/**
 * Evaluates a stored rule. Rules are checked when they are stored; one that no longer compiles
 * (e.g. written before a grammar change) grants nothing, like an evaluation error.
 */
export function grants(rule: string, ctx: RuleContext): boolean {
  let compiled;
  try {
    compiled = compileRule(rule);
  } catch {
    return false;
  }
  return compiled.evaluate(ctx);
}

/** Whether the caller's role lets it reach the twin: no `twinRule`, or the rule is true for it. */
export function canAccessTwin(principal: Principal, twin: Twin, now: number): boolean {
  const rule = principal.rules.twinRule;
  return rule === null || grants(rule, ruleContext(principal, now, twin, null));
}

export function assertTwinAccessible(principal: Principal, twin: Twin, now: number): void {
  if (!canAccessTwin(principal, twin, now)) throw forbidden("twin.notAccessible", "Twin not accessible.");
}
