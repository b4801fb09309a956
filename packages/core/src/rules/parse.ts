/**
 * Text → syntax tree. The peggy parser (generated from rules.peggy) does the grammar; this module
 * adds what a grammar should not: the safety caps, checked before the parser runs so that no input
 * can exhaust its stack, the validation of literal regex patterns, and error messages of the form
 * `line 1, column 17: expected …`.
 */
import { REGEX_OPERATORS, childrenOf, type RuleNode } from "./ast.js";
import { MAX_RULE_DEPTH, MAX_RULE_LENGTH } from "./limits.js";
import { SyntaxError as PeggySyntaxError, parse, type PeggyExpectation } from "./parser.generated.js";
import { PatternError, compilePattern } from "./regex.js";
import { RuleSyntaxError, syntaxErrorAt } from "./syntax-error.js";

/** Parses a rule; throws RuleSyntaxError, and nothing else, for any text that is not a valid rule. */
export function parseRule(text: string): RuleNode {
  if (typeof text !== "string") throw new RuleSyntaxError("a rule must be a string", 0, 1, 1);
  checkLength(text);
  checkNesting(text);
  const tree = parseTree(text);
  checkPatterns(tree, text);
  return tree;
}

function checkLength(text: string): void {
  if (text.length > MAX_RULE_LENGTH) {
    throw syntaxErrorAt(text, MAX_RULE_LENGTH, `rule is longer than ${MAX_RULE_LENGTH} characters`);
  }
}

/**
 * Rejects nesting deeper than MAX_RULE_DEPTH before parsing: the recursive-descent parser spends
 * about a dozen stack frames per level, so depth must be bounded before it runs, not by it.
 * Strings and comments are skipped the way the grammar reads them.
 */
function checkNesting(text: string): void {
  let depth = 0;
  let quote = "";
  let inComment = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inComment) {
      if (char === "\n") inComment = false;
    } else if (quote) {
      if (char === "\\") i++;
      else if (char === quote || char === "\n" || char === "\r") quote = "";
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === "#") {
      inComment = true;
    } else if (char === "(" || char === "[" || char === "{") {
      if (++depth > MAX_RULE_DEPTH) throw syntaxErrorAt(text, i, `nesting deeper than ${MAX_RULE_DEPTH} levels`);
    } else if (char === ")" || char === "]" || char === "}") {
      depth = Math.max(0, depth - 1);
    }
  }
}

function parseTree(text: string): RuleNode {
  try {
    return parse(text, { grammarSource: "rule" });
  } catch (error) {
    if (error instanceof PeggySyntaxError) throw fromPeggy(error, text);
    // The caps keep the parser's recursion shallow; should a stack still run out, the rule is
    // refused like any other bad rule rather than surfacing as an internal error.
    if (error instanceof RangeError) throw syntaxErrorAt(text, 0, "rule is too complex");
    throw error;
  }
}

function fromPeggy(error: PeggySyntaxError, text: string): RuleSyntaxError {
  const { offset, line, column } = error.location.start;
  if (error.expected === null) return new RuleSyntaxError(error.message, offset, line, column);
  const expected = describeExpected(error.expected);
  const reason = `expected ${joinAlternatives(expected)} but found ${describeFound(text, offset)}`;
  return new RuleSyntaxError(reason, offset, line, column, expected);
}

function describeExpected(expectations: readonly PeggyExpectation[]): string[] {
  const descriptions = new Set<string>();
  for (const expectation of expectations) {
    switch (expectation.type) {
      case "literal":
        descriptions.add(JSON.stringify(expectation.text));
        break;
      case "other":
        descriptions.add(expectation.description);
        break;
      case "end":
        descriptions.add("end of rule");
        break;
      default:
        descriptions.add("character");
    }
  }
  // Quoted tokens first, then words such as "expression" or "operator"; "end of rule" last.
  return [...descriptions].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function rank(description: string): number {
  if (description === "end of rule") return 2;
  return description.startsWith('"') ? 0 : 1;
}

function joinAlternatives(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "nothing";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** The token at the error: a whole word or number rather than its first character. */
function describeFound(text: string, offset: number): string {
  if (offset >= text.length) return "end of rule";
  const token = /^(?:[A-Za-z0-9_.]+|[^\sA-Za-z0-9_.])/.exec(text.slice(offset, offset + 40))?.[0];
  return JSON.stringify(token ?? text[offset]);
}

/**
 * Literal patterns of the regex operators are compiled now: a pattern that needs back-references or
 * look-arounds, or that RE2 cannot parse, is a syntax error at the literal. The compiled pattern
 * stays in the pattern cache for the compiler. The walk uses its own stack: binary chains can be
 * a few thousand nodes deep.
 */
function checkPatterns(tree: RuleNode, text: string): void {
  const pending: RuleNode[] = [tree];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.kind === "binary" && REGEX_OPERATORS.has(node.op)) checkPattern(node.op, node.right, text);
    pending.push(...childrenOf(node));
  }
}

function checkPattern(op: string, pattern: RuleNode, text: string): void {
  if (pattern.kind !== "literal" || typeof pattern.value !== "string") return;
  try {
    compilePattern(pattern.value, op === "=~" || op === "!~" ? "match" : "search");
  } catch (error) {
    if (error instanceof PatternError) throw syntaxErrorAt(text, pattern.span.start, error.message);
    throw error;
  }
}
