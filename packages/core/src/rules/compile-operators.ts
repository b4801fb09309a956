// The binary operators of the rule language compiled to closures (see compile.ts), with the fast
// paths of typical rules: `==` against a literal, `in` a literal list, a literal regex pattern.
import type { BinaryNode, LiteralValue, RuleNode } from "./ast.js";
import { add, divide, floorDivide, modulo, multiply, power, subtract } from "./arithmetic.js";
import { contains, equals, order } from "./compare.js";
import type { Evaluator, RuleContext } from "./context.js";
import { PatternError, compilePattern, type CompiledPattern, type RegexMode } from "./regex.js";
import { fault, truthy, typeName } from "./values.js";

type Compile = (node: RuleNode) => Evaluator;

/** A binary node; its operands are compiled with `compile` (compile.ts's compileNode). */
export function compileBinary(node: BinaryNode, compile: Compile): Evaluator {
  switch (node.op) {
    case "==":
    case "!=":
      return compileEquality(node, node.op === "!=", compile);
    case "=~":
    case "=~~":
    case "!~":
    case "!~~":
      return compileRegex(compile(node.left), node, compile);
    case "in":
    case "not in":
      return compileMembership(compile(node.left), node, compile);
    default:
      return compileOperator(node.op, compile(node.left), compile(node.right));
  }
}

/**
 * `==` against a literal (always a scalar) is a strict comparison, since values of different types
 * are unequal: the hot path of typical rules such as `USER.profession == 'sales'`.
 */
function compileEquality(node: BinaryNode, negated: boolean, compile: Compile): Evaluator {
  const [literal, other] =
    node.right.kind === "literal" ? [node.right, node.left] : node.left.kind === "literal" ? [node.left, node.right] : [];
  if (literal && other) {
    const value = literal.value;
    const evaluateOther = compile(other);
    return negated ? (ctx) => evaluateOther(ctx) !== value : (ctx) => evaluateOther(ctx) === value;
  }
  const left = compile(node.left);
  const right = compile(node.right);
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
function compileMembership(member: Evaluator, node: BinaryNode, compile: Compile): Evaluator {
  const negated = node.op === "not in";
  const container = node.right;
  if (container.kind === "array" && container.items.length > 0 && container.items.every((x) => x.kind === "literal")) {
    const set = new Set(container.items.map((x) => (x.kind === "literal" ? x.value : null)));
    return (ctx) => set.has(member(ctx) as LiteralValue) !== negated;
  }
  const right = compile(container);
  return (ctx) => {
    const value = member(ctx);
    return contains(right(ctx), value) !== negated;
  };
}

/** Regex operators: the left side must be a string; a literal pattern was compiled when parsed. */
function compileRegex(subject: Evaluator, node: BinaryNode, compile: Compile): Evaluator {
  const mode: RegexMode = node.op === "=~" || node.op === "!~" ? "match" : "search";
  const negated = node.op.startsWith("!");
  const pattern = node.right;
  const patternOf: (ctx: RuleContext) => CompiledPattern =
    pattern.kind === "literal" && typeof pattern.value === "string"
      ? constantPattern(compilePattern(pattern.value, mode))
      : runtimePattern(compile(pattern), mode);
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
