/**
 * Tree → text, with the fewest parentheses that keep the tree: printing then parsing gives the same
 * tree back (a property test checks it), which a fully parenthesized printer could not promise
 * under the nesting cap.
 */
import type { BinaryOperator, RuleNode } from "./ast.js";

/** Binding strength, loosest first; the grammar's levels (rules.peggy). */
const Level = {
  Ternary: 1,
  Or: 2,
  And: 3,
  Not: 4,
  Coalesce: 5,
  Equality: 6,
  Relational: 7,
  Additive: 8,
  Multiplicative: 9,
  Power: 10,
  Unary: 11,
  Access: 12,
  Atom: 13,
} as const;

type Level = (typeof Level)[keyof typeof Level] | number;

const BINARY_LEVELS: Record<BinaryOperator, Level> = {
  or: Level.Or,
  and: Level.And,
  "??": Level.Coalesce,
  "==": Level.Equality,
  "!=": Level.Equality,
  "<": Level.Relational,
  "<=": Level.Relational,
  ">": Level.Relational,
  ">=": Level.Relational,
  "=~": Level.Relational,
  "=~~": Level.Relational,
  "!~": Level.Relational,
  "!~~": Level.Relational,
  in: Level.Relational,
  "not in": Level.Relational,
  "+": Level.Additive,
  "-": Level.Additive,
  "*": Level.Multiplicative,
  "/": Level.Multiplicative,
  "//": Level.Multiplicative,
  "%": Level.Multiplicative,
  "**": Level.Power,
};

/** Prints a rule tree as rule text. */
export function printRule(node: RuleNode): string {
  return print(node, Level.Ternary);
}

/** `node` printed where the grammar expects at least `level`: in parentheses when it binds looser. */
function print(node: RuleNode, level: Level): string {
  const text = printBare(node);
  return levelOf(node) < level ? `(${text})` : text;
}

function levelOf(node: RuleNode): Level {
  switch (node.kind) {
    case "ternary":
      return Level.Ternary;
    case "binary":
      return BINARY_LEVELS[node.op];
    case "unary":
      return node.op === "not" ? Level.Not : Level.Unary;
    case "member":
    case "index":
    case "slice":
      return Level.Access;
    case "literal":
      // `-1` can only come from a hand-built tree; it prints like the unary minus it reads as.
      return typeof node.value === "number" && (node.value < 0 || Object.is(node.value, -0)) ? Level.Unary : Level.Atom;
    default:
      return Level.Atom;
  }
}

function printBare(node: RuleNode): string {
  switch (node.kind) {
    case "literal":
      return printLiteral(node.value);
    case "name":
      return node.name;
    case "array":
      return `[${node.items.map((item) => print(item, Level.Ternary)).join(", ")}]`;
    case "mapping":
      return `{${node.entries.map((e) => `${print(e.key, Level.Ternary)}: ${print(e.value, Level.Ternary)}`).join(", ")}}`;
    case "member":
      return `${printObject(node.object)}${node.safe ? "&." : "."}${node.name}`;
    case "index":
      return `${printObject(node.object)}${node.safe ? "&[" : "["}${print(node.index, Level.Ternary)}]`;
    case "slice": {
      const start = node.start ? print(node.start, Level.Ternary) : "";
      const stop = node.stop ? print(node.stop, Level.Ternary) : "";
      return `${printObject(node.object)}${node.safe ? "&[" : "["}${start}:${stop}]`;
    }
    case "unary":
      return node.op === "not" ? `not ${print(node.operand, Level.Not)}` : `-${print(node.operand, Level.Unary)}`;
    case "binary":
      return printBinary(node.op, node.left, node.right);
    case "ternary":
      return `${print(node.test, Level.Or)} ? ${print(node.whenTrue, Level.Ternary)} : ${print(node.whenFalse, Level.Ternary)}`;
  }
}

/** The object of an access; a number needs parentheses, or `1.x` would read as the number `1.`. */
function printObject(node: RuleNode): string {
  if (node.kind === "literal" && typeof node.value === "number") return `(${printBare(node)})`;
  return print(node, Level.Access);
}

/**
 * Left-associative operators take their own level on the left, `??` (right-associative) on the
 * right, and comparisons (non-associative) on neither side.
 */
function printBinary(op: BinaryOperator, left: RuleNode, right: RuleNode): string {
  const level = BINARY_LEVELS[op];
  const nonAssociative = level === Level.Equality || level === Level.Relational;
  const leftLevel = op === "??" || nonAssociative ? level + 1 : level;
  const rightLevel = op === "??" ? level : level + 1;
  return `${print(left, leftLevel)} ${op} ${print(right, rightLevel)}`;
}

function printLiteral(value: string | number | boolean | null): string {
  if (typeof value === "string") return printString(value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  return String(value);
}

/** Single-quoted, with the escapes the grammar reads back to the same string. */
function printString(value: string): string {
  let out = "'";
  for (const char of value) out += ESCAPES[char] ?? (isControl(char) ? hexEscape(char) : char);
  return out + "'";
}

const ESCAPES: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  "\\": "\\\\",
  "'": "\\'",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
});

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

function hexEscape(char: string): string {
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`;
}
