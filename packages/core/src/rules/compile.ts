/**
 * Syntax tree → closures. Each node becomes a function of the context, built once per distinct rule
 * text (bounded cache), so that resolving over many identities runs closures, not text. No `eval`
 * and no `new Function`: a hostile rule can only combine these closures.
 */
import type { BinaryNode, LiteralValue, RuleNode } from "./ast.js";
import { BoundedCache } from "./cache.js";
import { COMPILED_RULE_CACHE_SIZE } from "./limits.js";
import { parseRule } from "./parse.js";
import { PatternError, compilePattern, type CompiledPattern, type RegexMode } from "./regex.js";
import {
  EvaluationFault,
  add,
  contains,
  divide,
  equals,
  fault,
  floorDivide,
  fromHost,
  item,
  member,
  modulo,
  multiply,
  negate,
  order,
  power,
  slice,
  subtract,
  truthy,
  typeName,
  type Mapping,
  type Value,
} from "./values.js";
import type { JsonValue } from "../shared/json.js";

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

type Evaluator = (ctx: RuleContext) => Value;

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
      return compileBinary(node);
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

function compileBinary(node: BinaryNode): Evaluator {
  switch (node.op) {
    case "==":
    case "!=":
      return compileEquality(node, node.op === "!=");
    case "=~":
    case "=~~":
    case "!~":
    case "!~~":
      return compileRegex(compileNode(node.left), node);
    case "in":
    case "not in":
      return compileMembership(compileNode(node.left), node);
    default:
      return compileOperator(node.op, compileNode(node.left), compileNode(node.right));
  }
}

/**
 * `==` against a literal (always a scalar) is a strict comparison, since values of different types
 * are unequal: the hot path of typical rules such as `USER.profession == 'sales'`.
 */
function compileEquality(node: BinaryNode, negated: boolean): Evaluator {
  const [literal, other] =
    node.right.kind === "literal" ? [node.right, node.left] : node.left.kind === "literal" ? [node.left, node.right] : [];
  if (literal && other) {
    const value = literal.value;
    const evaluateOther = compileNode(other);
    return negated ? (ctx) => evaluateOther(ctx) !== value : (ctx) => evaluateOther(ctx) === value;
  }
  const left = compileNode(node.left);
  const right = compileNode(node.right);
  return negated ? (ctx) => !equals(left(ctx), right(ctx)) : (ctx) => equals(left(ctx), right(ctx));
}

function compileOperator(op: BinaryNode["op"], left: Evaluator, right: Evaluator): Evaluator {
  switch (op) {
    case "and":
      return (ctx) => truthy(left(ctx)) && truthy(right(ctx));
    case "or":
      return (ctx) => truthy(left(ctx)) || truthy(right(ctx));
    case "??":
      return (ctx) => left(ctx) ?? right(ctx);
    case "<":
      return (ctx) => order(left(ctx), right(ctx)) < 0;
    case "<=":
      return (ctx) => order(left(ctx), right(ctx)) <= 0;
    case ">":
      return (ctx) => order(left(ctx), right(ctx)) > 0;
    case ">=":
      return (ctx) => order(left(ctx), right(ctx)) >= 0;
    case "+":
      return (ctx) => add(left(ctx), right(ctx));
    case "-":
      return (ctx) => subtract(left(ctx), right(ctx));
    case "*":
      return (ctx) => multiply(left(ctx), right(ctx));
    case "/":
      return (ctx) => divide(left(ctx), right(ctx));
    case "//":
      return (ctx) => floorDivide(left(ctx), right(ctx));
    case "%":
      return (ctx) => modulo(left(ctx), right(ctx));
    case "**":
      return (ctx) => power(left(ctx), right(ctx));
    default:
      throw new Error(`compiler: operator ${op} has no implementation`);
  }
}

/**
 * `x in [literal, …]` with only scalar literals tests a Set; otherwise items are compared with `==`.
 */
function compileMembership(member: Evaluator, node: BinaryNode): Evaluator {
  const negated = node.op === "not in";
  const container = node.right;
  if (container.kind === "array" && container.items.length > 0 && container.items.every((x) => x.kind === "literal")) {
    const set = new Set(container.items.map((x) => (x.kind === "literal" ? x.value : null)));
    return (ctx) => set.has(member(ctx) as LiteralValue) !== negated;
  }
  const right = compileNode(container);
  return (ctx) => {
    const value = member(ctx);
    return contains(right(ctx), value) !== negated;
  };
}

/** Regex operators: the left side must be a string; a literal pattern was compiled when parsed. */
function compileRegex(subject: Evaluator, node: BinaryNode): Evaluator {
  const mode: RegexMode = node.op === "=~" || node.op === "!~" ? "match" : "search";
  const negated = node.op.startsWith("!");
  const pattern = node.right;
  const patternOf: (ctx: RuleContext) => CompiledPattern =
    pattern.kind === "literal" && typeof pattern.value === "string"
      ? constantPattern(compilePattern(pattern.value, mode))
      : runtimePattern(compileNode(pattern), mode);
  return (ctx) => {
    const text = subject(ctx);
    if (typeof text !== "string") fault(`${node.op} needs a string on the left, not ${typeName(text)}`);
    return patternOf(ctx).test(text) !== negated;
  };
}

function constantPattern(compiled: CompiledPattern): () => CompiledPattern {
  return () => compiled;
}

/** A pattern computed at run time (`s =~ DICT.p`): capped, cached, and any flaw is a fault. */
function runtimePattern(pattern: Evaluator, mode: RegexMode): (ctx: RuleContext) => CompiledPattern {
  return (ctx) => {
    const source = pattern(ctx);
    if (typeof source !== "string") fault(`a regex pattern must be a string, not ${typeName(source)}`);
    try {
      return compilePattern(source, mode);
    } catch (error) {
      if (error instanceof PatternError) fault(error.message);
      throw error;
    }
  };
}
