import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileRule,
  parseRule,
  printRule,
  RuleSyntaxError,
  type BinaryOperator,
  type RuleContext,
  type RuleNode,
  type Span,
} from "../../src/rules/index.js";
import { withoutSpans } from "./support.js";

const RESERVED = new Set(["and", "or", "not", "in", "if", "for", "true", "false", "null", "inf", "nan", "elif", "else", "while"]);
const SPAN: Span = { start: 0, end: 0, line: 1, column: 1 };

const identifier = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,6}$/);
const variableName = identifier.filter((name) => !RESERVED.has(name));
const memberName = fc.oneof(identifier, fc.constantFrom("in", "for", "null", "constructor", "__proto__", "length"));

const literalValue = fc.oneof(
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({ maxLength: 8 }),
  fc.double({ min: 0, max: 1e300, noNaN: true }).map((x) => (x === 0 ? 0 : x)),
  fc.nat({ max: 1000 }),
  fc.constantFrom(true, false, null),
);
const literal = literalValue.map((value): RuleNode => ({ kind: "literal", value, span: SPAN }));
const name = variableName.map((name): RuleNode => ({ kind: "name", name, span: SPAN }));

const PLAIN_OPERATORS: BinaryOperator[] = [
  "or", "and", "??", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/", "//", "%", "**",
];
const REGEX_OPERATORS: BinaryOperator[] = ["=~", "=~~", "!~", "!~~"];
const SAFE_PATTERNS = ["a", "^a.*b$", "(?P<x>[0-9]+)", "x|y", "\\d{2,3}", "(?i)abc", "[^)]*", ""];

/** Random syntax trees; regex operators get a name or a known-valid pattern on their right. */
const { tree } = fc.letrec<{ tree: RuleNode; compound: RuleNode }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 5, depthSize: "medium", depthIdentifier: "tree" },
    { arbitrary: literal, weight: 1 },
    { arbitrary: name, weight: 1 },
    { arbitrary: tie("compound"), weight: 3 },
  ),
  compound: fc.oneof(
    fc.record({ kind: fc.constant("unary" as const), op: fc.constantFrom("-" as const, "not" as const), operand: tie("tree"), span: fc.constant(SPAN) }),
    fc.record({ kind: fc.constant("binary" as const), op: fc.constantFrom(...PLAIN_OPERATORS), left: tie("tree"), right: tie("tree"), span: fc.constant(SPAN) }),
    fc.record({
      kind: fc.constant("binary" as const),
      op: fc.constantFrom(...REGEX_OPERATORS),
      left: tie("tree"),
      right: fc.oneof(name, fc.constantFrom(...SAFE_PATTERNS).map((value): RuleNode => ({ kind: "literal", value, span: SPAN }))),
      span: fc.constant(SPAN),
    }),
    fc.record({ kind: fc.constant("ternary" as const), test: tie("tree"), whenTrue: tie("tree"), whenFalse: tie("tree"), span: fc.constant(SPAN) }),
    fc.record({ kind: fc.constant("member" as const), object: tie("tree"), name: memberName, safe: fc.boolean(), span: fc.constant(SPAN) }),
    fc.record({ kind: fc.constant("index" as const), object: tie("tree"), index: tie("tree"), safe: fc.boolean(), span: fc.constant(SPAN) }),
    fc.record({
      kind: fc.constant("slice" as const),
      object: tie("tree"),
      start: fc.option(tie("tree"), { nil: null }),
      stop: fc.option(tie("tree"), { nil: null }),
      safe: fc.boolean(),
      span: fc.constant(SPAN),
    }),
    fc.record({ kind: fc.constant("array" as const), items: fc.array(tie("tree"), { maxLength: 3 }), span: fc.constant(SPAN) }),
    fc.record({
      kind: fc.constant("mapping" as const),
      entries: fc.array(fc.record({ key: tie("tree"), value: tie("tree") }), { maxLength: 3 }),
      span: fc.constant(SPAN),
    }),
  ),
}));

/** Text that looks like rules: tokens of the language (and of languages it is not) in any order. */
const TOKENS = [
  "USER", "DICT", ".", "&.", "[", "&[", "]", "(", ")", "{", "}", ":", ",", "?", "??", "==", "!=", "<", "<=", ">", ">=",
  "=~", "=~~", "!~", "!~~", "and", "or", "not", "in", "+", "-", "*", "/", "//", "%", "**", "'a'", '"b\\"', "'", '"',
  "1", "0x1f", "1e3", ".5", "true", "null", "$now", "d'2020'", "for", "if", "else", "#", "\n", "&", "|", "\\", "inf",
];
const ruleLike = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).chain((tokens) =>
  fc.constantFrom(tokens.join(" "), tokens.join("")),
);

const contextValue = fc.anything({
  maxDepth: 3,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  stringUnit: "binary",
  key: fc.oneof(fc.string(), fc.constantFrom("a", "b", "s", "p", "k", "constructor", "__proto__", "toString", "length")),
});
const context = fc.dictionary(
  fc.constantFrom("USER", "DICT", "TWIN", "account", "user", "role", "twin", "identity", "now", "a", "b", "x", "entry_name"),
  fc.oneof(contextValue, fc.jsonValue()),
) as fc.Arbitrary<RuleContext>;

const SAMPLE_RULES = [
  "USER.profession == 'accounting' or USER.profession == 'sales'",
  "TWIN.company == USER.company",
  "DICT.serial == TWIN.serial",
  "USER.a.b[0] < DICT.x[1:] and not (TWIN&.k ?? 1) in USER",
  "DICT.s =~ DICT.p or DICT.s =~~ '(a+)+$' or USER.a ** DICT.b // 3 % -2 > 1",
  "[USER, DICT][a] == {'k': TWIN}['k'] ? x + 1 : -x",
  "a in b and b not in a and USER[DICT] == TWIN[-1:]",
];

function onlySyntaxErrors(text: string): void {
  try {
    parseRule(text);
  } catch (error) {
    if (!(error instanceof RuleSyntaxError)) throw error;
  }
}

describe("properties", () => {
  it("random strings make the parser throw nothing but RuleSyntaxError", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), onlySyntaxErrors), { numRuns: 2000 });
    fc.assert(fc.property(ruleLike, onlySyntaxErrors), { numRuns: 3000 });
  });

  it("pretty-printed trees re-parse to the same tree", () => {
    fc.assert(
      fc.property(tree, (node) => {
        const printed = printRule(node);
        expect(withoutSpans(parseRule(printed))).toEqual(withoutSpans(node));
        expect(printRule(parseRule(printed))).toBe(printed);
      }),
      { numRuns: 1000 },
    );
  });

  it("random contexts never make evaluate throw", () => {
    const rules = fc.oneof(fc.constantFrom(...SAMPLE_RULES), tree.map(printRule));
    fc.assert(
      fc.property(rules, context, (text, ctx) => {
        const rule = compileRule(text);
        expect(typeof rule.evaluate(ctx)).toBe("boolean");
        expect(typeof rule.explain(ctx).result).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });
});
