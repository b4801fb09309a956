/**
 * The syntax tree of a rule, as produced by the peggy grammar (rules.peggy). Grouping parentheses
 * leave no node: the tree shape carries the precedence.
 */

/** Where a node sits in the rule text: UTF-16 offsets and the line/column (1-based) of its start. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

export type LiteralValue = string | number | boolean | null;

export type ArithmeticOperator = "+" | "-" | "*" | "/" | "//" | "%" | "**";
export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";
export type RegexOperator = "=~" | "=~~" | "!~" | "!~~";
export type MembershipOperator = "in" | "not in";
export type LogicalOperator = "and" | "or" | "??";
export type BinaryOperator =
  | ArithmeticOperator
  | ComparisonOperator
  | RegexOperator
  | MembershipOperator
  | LogicalOperator;

export interface LiteralNode {
  readonly kind: "literal";
  readonly value: LiteralValue;
  readonly span: Span;
}

export interface ArrayNode {
  readonly kind: "array";
  readonly items: readonly RuleNode[];
  readonly span: Span;
}

export interface MappingEntry {
  readonly key: RuleNode;
  readonly value: RuleNode;
}

export interface MappingNode {
  readonly kind: "mapping";
  readonly entries: readonly MappingEntry[];
  readonly span: Span;
}

/** A variable of the evaluation context (`USER`, `account`, …). */
export interface NameNode {
  readonly kind: "name";
  readonly name: string;
  readonly span: Span;
}

/** `object.name`, or `object&.name` when `safe`. */
export interface MemberNode {
  readonly kind: "member";
  readonly object: RuleNode;
  readonly name: string;
  readonly safe: boolean;
  readonly span: Span;
}

/** `object[index]`, or `object&[index]` when `safe`. */
export interface IndexNode {
  readonly kind: "index";
  readonly object: RuleNode;
  readonly index: RuleNode;
  readonly safe: boolean;
  readonly span: Span;
}

/** `object[start:stop]` with either bound optional, or `object&[start:stop]` when `safe`. */
export interface SliceNode {
  readonly kind: "slice";
  readonly object: RuleNode;
  readonly start: RuleNode | null;
  readonly stop: RuleNode | null;
  readonly safe: boolean;
  readonly span: Span;
}

export interface UnaryNode {
  readonly kind: "unary";
  readonly op: "-" | "not";
  readonly operand: RuleNode;
  readonly span: Span;
}

export interface BinaryNode {
  readonly kind: "binary";
  readonly op: BinaryOperator;
  readonly left: RuleNode;
  readonly right: RuleNode;
  readonly span: Span;
}

/** `test ? whenTrue : whenFalse` */
export interface TernaryNode {
  readonly kind: "ternary";
  readonly test: RuleNode;
  readonly whenTrue: RuleNode;
  readonly whenFalse: RuleNode;
  readonly span: Span;
}

export type RuleNode =
  | LiteralNode
  | ArrayNode
  | MappingNode
  | NameNode
  | MemberNode
  | IndexNode
  | SliceNode
  | UnaryNode
  | BinaryNode
  | TernaryNode;

export const REGEX_OPERATORS: ReadonlySet<BinaryOperator> = new Set<BinaryOperator>(["=~", "=~~", "!~", "!~~"]);

/** The direct children of a node, in source order. */
export function childrenOf(node: RuleNode): RuleNode[] {
  switch (node.kind) {
    case "literal":
    case "name":
      return [];
    case "array":
      return [...node.items];
    case "mapping":
      return node.entries.flatMap((entry) => [entry.key, entry.value]);
    case "member":
      return [node.object];
    case "index":
      return [node.object, node.index];
    case "slice":
      return [node.object, ...(node.start ? [node.start] : []), ...(node.stop ? [node.stop] : [])];
    case "unary":
      return [node.operand];
    case "binary":
      return [node.left, node.right];
    case "ternary":
      return [node.test, node.whenTrue, node.whenFalse];
  }
}
