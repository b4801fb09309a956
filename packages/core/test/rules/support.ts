import { expect } from "vitest";
import { RuleSyntaxError, type RuleNode } from "../../src/rules/index.js";

/**
 * A tree as a compact s-expression, to assert precedence and associativity:
 * `a + b * c` → `(+ a (* b c))`.
 */
export function sexpr(node: RuleNode): string {
  switch (node.kind) {
    case "literal":
      return typeof node.value === "string" ? JSON.stringify(node.value) : String(node.value);
    case "name":
      return node.name;
    case "array":
      return `[${node.items.map(sexpr).join(" ")}]`;
    case "mapping":
      return `{${node.entries.map((e) => `${sexpr(e.key)}: ${sexpr(e.value)}`).join(" ")}}`;
    case "member":
      return `(${node.safe ? "&." : "."} ${sexpr(node.object)} ${node.name})`;
    case "index":
      return `(${node.safe ? "&[]" : "[]"} ${sexpr(node.object)} ${sexpr(node.index)})`;
    case "slice":
      return `(${node.safe ? "&[:]" : "[:]"} ${sexpr(node.object)} ${node.start ? sexpr(node.start) : "_"} ${node.stop ? sexpr(node.stop) : "_"})`;
    case "unary":
      return `(${node.op} ${sexpr(node.operand)})`;
    case "binary":
      return `(${node.op} ${sexpr(node.left)} ${sexpr(node.right)})`;
    case "ternary":
      return `(? ${sexpr(node.test)} ${sexpr(node.whenTrue)} ${sexpr(node.whenFalse)})`;
  }
}

/** The tree without source positions, for comparing trees parsed from different texts. */
export function withoutSpans(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutSpans);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "span")
      .map(([key, value]) => [key, withoutSpans(value)]),
  );
}

/** The RuleSyntaxError that `run` throws (fails the test if it throws anything else). */
export function syntaxErrorOf(run: () => unknown): RuleSyntaxError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSyntaxError);
    return error as RuleSyntaxError;
  }
  throw new Error("expected a RuleSyntaxError, nothing was thrown");
}
