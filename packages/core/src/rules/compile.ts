/**
 * Syntax tree → closures. Each node becomes a function of the context, built once per distinct rule
 * text (bounded cache), so that resolving over many identities runs closures, not text. No `eval`
 * and no `new Function`: a hostile rule can only combine these closures. The binary operators
 * (the fast paths of `==`, `in` and regex among them) are compiled in compile-operators.ts.
 */
import { negate } from "./arithmetic.js";
import type { RuleNode } from "./ast.js";
import { BoundedCache } from "./cache.js";
import { compileBinary } from "./compile-operators.js";
import type { Evaluator, RuleContext } from "./context.js";
import { COMPILED_RULE_CACHE_SIZE } from "./limits.js";
import { item, member, slice } from "./lookup.js";
import { parseRule } from "./parse.js";
import { EvaluationFault, fault, fromHost, truthy, typeName, type Mapping, type Value } from "./values.js";

/** The result of a rule with, when it failed to evaluate, why (for debug logging). */
export interface RuleOutcome {
  readonly result: boolean;
  readonly error?: string;
}

export interface CompiledRule {
  readonly text: string;
  /** Whether the rule grants in this context. Never throws: an evaluation error is false. */
  evaluate(ctx: RuleContext): boolean;
  /** Like evaluate, and says why an evaluation failed. Never throws. */
  explain(ctx: RuleContext): RuleOutcome;
}

const compiledRules = new BoundedCache<CompiledRule>(COMPILED_RULE_CACHE_SIZE);

/** Compiles a rule, or returns it from the cache; throws RuleSyntaxError. */
export function compileRule(text: string): CompiledRule {
  const cached = compiledRules.get(text);
  if (cached) return cached;
  const rule = buildRule(text, compileNode(parseRule(text)));
  compiledRules.set(text, rule);
  return rule;
}

/** Forgets every compiled rule (tests, memory pressure). */
export function clearCompiledRules(): void {
  compiledRules.clear();
}

function buildRule(text: string, root: Evaluator): CompiledRule {
  return Object.freeze({
    text,
    evaluate(ctx: RuleContext): boolean {
      try {
        return truthy(root(ctx));
      } catch {
        return false;
      }
    },
    explain(ctx: RuleContext): RuleOutcome {
      try {
        return { result: truthy(root(ctx)) };
      } catch (error) {
        return { result: false, error: error instanceof EvaluationFault ? error.reason : String(error) };
      }
    },
  });
}

function compileNode(node: RuleNode): Evaluator {
  switch (node.kind) {
    case "literal": {
      const value = node.value;
      return () => value;
    }
    case "array":
      return compileArray(node.items);
    case "mapping":
      return compileMapping(node.entries);
    case "name":
      return compileName(node.name);
    case "member": {
      const object = compileNode(node.object);
      const { name, safe } = node;
      return (ctx) => member(object(ctx), name, safe);
    }
    case "index": {
      const object = compileNode(node.object);
      const index = compileNode(node.index);
      const safe = node.safe;
      return (ctx) => item(object(ctx), index(ctx), safe);
    }
    case "slice": {
      const object = compileNode(node.object);
      const start = node.start ? compileNode(node.start) : () => null;
      const stop = node.stop ? compileNode(node.stop) : () => null;
      const safe = node.safe;
      return (ctx) => slice(object(ctx), start(ctx), stop(ctx), safe);
    }
    case "unary": {
      const operand = compileNode(node.operand);
      return node.op === "not" ? (ctx) => !truthy(operand(ctx)) : (ctx) => negate(operand(ctx));
    }
    case "binary":
      return compileBinary(node, compileNode);
    case "ternary": {
      const test = compileNode(node.test);
      const whenTrue = compileNode(node.whenTrue);
      const whenFalse = compileNode(node.whenFalse);
      return (ctx) => (truthy(test(ctx)) ? whenTrue(ctx) : whenFalse(ctx));
    }
  }
}

/** Variables are own properties of the context only: `constructor` or `toString` are missing. */
function compileName(name: string): Evaluator {
  return (ctx) => (Object.hasOwn(ctx, name) ? fromHost(ctx[name]) : null);
}

function compileArray(items: readonly RuleNode[]): Evaluator {
  const evaluators = items.map(compileNode);
  return (ctx) => evaluators.map((evaluate) => evaluate(ctx));
}

/** Mapping literals are null-prototype objects, so a key such as `__proto__` is just a key. */
function compileMapping(entries: readonly { key: RuleNode; value: RuleNode }[]): Evaluator {
  const compiled = entries.map(({ key, value }) => [compileNode(key), compileNode(value)] as const);
  return (ctx) => {
    const mapping: Record<string, Value> = Object.create(null) as Record<string, Value>;
    for (const [key, value] of compiled) {
      const name = key(ctx);
      if (typeof name !== "string") fault(`mapping keys must be strings, not ${typeName(name)}`);
      mapping[name] = value(ctx);
    }
    return mapping as Mapping;
  };
}
