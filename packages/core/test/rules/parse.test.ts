import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MAX_RULE_DEPTH, MAX_RULE_LENGTH, parseRule } from "../../src/rules/index.js";
import { sexpr, syntaxErrorOf } from "./support.js";

const tree = (text: string) => sexpr(parseRule(text));

describe("the generated parser", () => {
  it("is up to date with rules.peggy", () => {
    const generator = fileURLToPath(new URL("../../src/rules/generate.mjs", import.meta.url));
    expect(() => execFileSync(process.execPath, [generator, "--check"], { stdio: "pipe" })).not.toThrow();
  });
});

describe("syntax", () => {
  it.each([
    // literals
    ["'it\\'s'", '"it\'s"'],
    ['"say \\"hi\\""', '"say \\"hi\\""'],
    ["'\\x41\\u00e9\\U0001F600\\n\\t\\101'", JSON.stringify("Aé😀\n\tA")],
    ["'\\d+\\.'", JSON.stringify("\\d+\\.")], // unknown escapes keep their backslash, as in Python
    ["'a # not a comment'", '"a # not a comment"'],
    ["12", "12"],
    ["1.5", "1.5"],
    ["1.", "1"],
    [".5", "0.5"],
    ["1e3", "1000"],
    ["2.5E-1", "0.25"],
    ["0x1f", "31"],
    ["0o17", "15"],
    ["0b101", "5"],
    ["true", "true"],
    ["false", "false"],
    ["null", "null"],
    ["[1, 'a', [], ]", '[1 "a" []]'],
    ['{"k": 1, \'j\': [2],}', '{"k": 1 "j": [2]}'],
    ["{}", "{}"],
    // names and access
    ["USER", "USER"],
    ["_x9", "_x9"],
    ["USER.profession", "(. USER profession)"],
    ["USER.in.for", "(. (. USER in) for)"],
    ["a&.b", "(&. a b)"],
    ["a[0]", "([] a 0)"],
    ["a&['k']", "(&[] a \"k\")"],
    ["a[1:3]", "([:] a 1 3)"],
    ["a[:3]", "([:] a _ 3)"],
    ["a[1:]", "([:] a 1 _)"],
    ["a[:]", "([:] a _ _)"],
    ["a&[-2:]", "(&[:] a (- 2) _)"],
    ["a.b[0].c", "(. ([] (. a b) 0) c)"],
    // comments and layout
    ["a # comment\n or b # another", "(or a b)"],
    ["\n\t a\n==\n1 ", "(== a 1)"],
  ])("%s", (text, expected) => {
    expect(tree(text)).toBe(expected);
  });
});

describe("precedence and associativity", () => {
  it.each([
    ["a ? b : c or d", "(? a b (or c d))"],
    ["a or b ? c : d", "(? (or a b) c d)"],
    ["a ? b : c ? d : e", "(? a b (? c d e))"],
    ["a ? b ? c : d : e", "(? a (? b c d) e)"],
    ["a or b and c", "(or a (and b c))"],
    ["a and b or c", "(or (and a b) c)"],
    ["not a and b", "(and (not a) b)"],
    ["not not a", "(not (not a))"],
    ["not a ?? b", "(not (?? a b))"],
    ["a ?? b ?? c", "(?? a (?? b c))"],
    ["a ?? b == c", "(?? a (== b c))"],
    ["a == b ?? c", "(?? (== a b) c)"],
    ["not a == b", "(not (== a b))"],
    ["not a in b", "(not (in a b))"],
    ["a not in b", "(not in a b)"],
    ["a < b == c >= d", "(== (< a b) (>= c d))"],
    ["a in b == true", "(== (in a b) true)"],
    ["s =~ 'x' != true", "(!= (=~ s \"x\") true)"],
    ["a + b < c * d", "(< (+ a b) (* c d))"],
    ["a - b - c", "(- (- a b) c)"],
    ["a + b * c", "(+ a (* b c))"],
    ["a / b // c % d", "(% (// (/ a b) c) d)"],
    ["a * b ** c", "(* a (** b c))"],
    ["a ** b ** c", "(** (** a b) c)"], // left-associative, as in rule-engine
    ["-a ** 2", "(** (- a) 2)"], // unary minus binds tighter than **, as in rule-engine
    ["a ** -b", "(** a (- b))"],
    ["--a", "(- (- a))"],
    ["-a.b", "(- (. a b))"],
    ["(a or b) and c", "(and (or a b) c)"],
    ["((a))", "a"],
  ])("%s", (text, expected) => {
    expect(tree(text)).toBe(expected);
  });
});

describe("source positions", () => {
  it("every node keeps its span, line and column", () => {
    const text = "x == 1 or\n  USER.profession == 'sales'";
    const node = parseRule(text);
    expect(node.span).toEqual({ start: 0, end: text.length, line: 1, column: 1 });
    if (node.kind !== "binary") throw new Error("expected a binary node");
    expect(node.right.span).toEqual({ start: text.indexOf("USER"), end: text.length, line: 2, column: 3 });
    if (node.right.kind !== "binary") throw new Error("expected a binary node");
    expect(node.right.right.span).toEqual({ start: text.indexOf("'"), end: text.length, line: 2, column: 22 });
  });
});

describe("syntax errors", () => {
  it.each([
    ["", 1, 1, "expected expression but found end of rule"],
    ["   # only a comment", 1, 20, "expected expression but found end of rule"],
    ["USER.profession ==", 1, 19, "expected expression but found end of rule"],
    ["USER.profession == 'accounting' of", 1, 33, 'expected operator or end of rule but found "of"'],
    ["(a == b", 1, 8, 'expected ")" or operator but found end of rule'],
    ["a ? b", 1, 6, 'expected ":" or operator but found end of rule'],
    ["a.", 1, 3, "expected name but found end of rule"],
    ["[1, 2", 1, 6, 'expected ",", "]" or operator but found end of rule'],
    ["a == 1 and\n  b ==", 2, 7, "expected expression but found end of rule"],
    ["a < b < c", 1, 7, "comparison operators cannot be chained; add parentheses"],
    ["a == b != c", 1, 8, "comparison operators cannot be chained; add parentheses"],
    ["'abc", 1, 1, "unterminated string literal (a string must end on the line where it starts)"],
    ["'ab\nc'", 1, 1, "unterminated string literal (a string must end on the line where it starts)"],
    ["'\\x4'", 1, 3, "truncated \\x escape"],
    ["1e999", 1, 1, "number literal out of range"],
    ["a @ b", 1, 3, 'expected operator or end of rule but found "@"'],
  ])("%j → line %i, column %i", (text, line, column, reason) => {
    const error = syntaxErrorOf(() => parseRule(text));
    expect(error.reason).toBe(reason);
    expect([error.line, error.column]).toEqual([line, column]);
    expect(error.message).toBe(`line ${line}, column ${column}: ${reason}`);
  });

  it("lists what was expected", () => {
    expect(syntaxErrorOf(() => parseRule("(a")).expected).toEqual(['")"', "operator"]);
  });
});

describe("constructs outside the language say they are unsupported", () => {
  it.each([
    ["$now > 1", "builtins ($name) are not supported"],
    ["$split(a)", "builtins ($name) are not supported"],
    ["d'2019-09-23' < x", 'datetime literals (d"…") are not supported'],
    ['t"P1D"', 'timedelta literals (t"…") are not supported'],
    ["[v for v in xs if v]", "comprehensions ([x for x in xs]) are not supported"],
    ["[v * 2 for v in xs]", "comprehensions ([x for x in xs]) are not supported"],
    ["{1, 2}", "set literals ({a, b}) are not supported"],
    ["{'a'}", "set literals ({a, b}) are not supported"],
    ["a & b", "bitwise operators (& | ^ << >>) are not supported"],
    ["a | b", "bitwise operators (& | ^ << >>) are not supported"],
    ["a ^ b", "bitwise operators (& | ^ << >>) are not supported"],
    ["a << 2", "bitwise operators (& | ^ << >>) are not supported"],
    ["a >> 2", "bitwise operators (& | ^ << >>) are not supported"],
    ["a && b", 'is not supported; write "and"'],
    ["a || b", 'is not supported; write "or"'],
    ["!a", 'is not supported; write "not"'],
    ["a = 1", 'write "==" to compare'],
    ["a?.b", 'write "&." for null-safe access'],
    ["len(a)", "function calls are not supported"],
    ["x if c else y", "conditional expressions (a if c else b) are not supported; write c ? a : b"],
    ["x < inf", "the float constants inf and nan are not supported"],
    ["nan", "the float constants inf and nan are not supported"],
    ["r'\\d'", 'string prefixes (r"…") are not supported'],
    ["b'x'", 'string prefixes (b"…") are not supported'],
    ["'\\N{DASH}'", "named Unicode escapes (\\N{…}) are not supported"],
    ["while", '"while" is a reserved word'],
  ])("%s", (text, reason) => {
    expect(syntaxErrorOf(() => parseRule(text)).reason).toContain(reason);
  });

  it.each(["and", "or", "not", "in", "if", "for"])("the keyword %s is not a variable", (keyword) => {
    syntaxErrorOf(() => parseRule(`${keyword} == 1`));
  });

  it("names that merely start with a keyword are variables", () => {
    expect(tree("info == format and nothing == nullable and ifx == orbit and truey == falsey and android")).toBe(
      "(and (and (and (and (== info format) (== nothing nullable)) (== ifx orbit)) (== truey falsey)) android)",
    );
  });
});

describe("safety caps", () => {
  const nested = (depth: number) => "(".repeat(depth) + "a" + ")".repeat(depth);

  it(`accepts ${MAX_RULE_LENGTH} characters and refuses one more`, () => {
    const rule = (length: number) => `'${"x".repeat(length - 2)}'`;
    expect(() => parseRule(rule(MAX_RULE_LENGTH))).not.toThrow();
    const error = syntaxErrorOf(() => parseRule(rule(MAX_RULE_LENGTH + 1)));
    expect(error.message).toBe("line 1, column 4097: rule is longer than 4096 characters");
  });

  it(`accepts nesting ${MAX_RULE_DEPTH} deep and refuses 65`, () => {
    expect(tree(nested(64))).toBe("a");
    expect(tree("[".repeat(64) + "]".repeat(64))).toBe("[".repeat(64) + "]".repeat(64));
    expect(syntaxErrorOf(() => parseRule(nested(65))).message).toBe("line 1, column 65: nesting deeper than 64 levels");
    expect(syntaxErrorOf(() => parseRule("a" + "[a".repeat(65) + "]".repeat(65))).reason).toBe("nesting deeper than 64 levels");
    expect(syntaxErrorOf(() => parseRule("{'k': ".repeat(65) + "1" + "}".repeat(65))).reason).toBe(
      "nesting deeper than 64 levels",
    );
  });

  it("a 10,000-deep nesting is a syntax error, not a stack overflow", () => {
    syntaxErrorOf(() => parseRule(nested(10_000)));
    syntaxErrorOf(() => parseRule("(".repeat(4000)));
  });

  it("brackets inside strings and comments do not count as nesting", () => {
    expect(tree(`'${"(".repeat(100)}' # ${"[".repeat(100)}`)).toBe(JSON.stringify("(".repeat(100)));
  });

  it("long operator chains within the length cap parse without exhausting the stack", () => {
    const fill = (unit: string, last: string) => unit.repeat(Math.floor((MAX_RULE_LENGTH - last.length) / unit.length)) + last;
    for (const rule of [fill("-", "1"), fill("not ", "a"), fill("a?b:", "c"), fill("a or ", "a"), fill("a.b", ""), fill("1+", "1")]) {
      expect(() => parseRule(rule)).not.toThrow();
    }
  });

  it("regex literals: 256 characters at most", () => {
    expect(() => parseRule(`s =~ '${"a".repeat(256)}'`)).not.toThrow();
    const error = syntaxErrorOf(() => parseRule(`s =~ '${"a".repeat(257)}'`));
    expect(error.message).toBe("line 1, column 6: regular expression longer than 256 characters");
  });
});

describe("regex literals are checked when the rule is parsed", () => {
  it.each([
    ["s =~ '(a)\\\\1'", "back-references (\\1, \\2, …) are not supported"],
    ["s =~~ '(?P<x>a)(?P=x)'", "back-references ((?P=name)) are not supported"],
    ["s =~ 'a(?=b)'", "look-ahead assertions"],
    ["s !~ 'a(?!b)'", "look-ahead assertions"],
    ["s =~~ '(?<=a)b'", "look-behind assertions"],
    ["s !~~ '(?<!a)b'", "look-behind assertions"],
    ["s =~ '(a'", "invalid regular expression: missing closing )"],
    ["s =~ 'a)'", "invalid regular expression"],
    ["s =~ '(?>a)'", "invalid regular expression"],
    ["s =~ 'a**'", "invalid regular expression"],
  ])("%s", (text, reason) => {
    const error = syntaxErrorOf(() => parseRule(text));
    expect(error.reason).toContain(reason);
    expect(error.column).toBe(text.indexOf("'") + 1);
  });

  it.each([
    "s =~ '(?P<year>\\\\d{4})-(?P<month>\\\\d\\\\d)'",
    "s =~ '[(?=]'", // inside a class these are plain characters
    "s =~ '\\\\(?=x'", // an escaped parenthesis is no group
    "s =~ '\\\\101'", // a three-digit octal escape is a character, not a back-reference
    "s =~ '(?i)abc'",
    "s =~ 'a(?#comment)b'",
    "s =~ DICT.pattern", // checked at run time instead
  ])("accepts %s", (text) => {
    expect(() => parseRule(text)).not.toThrow();
  });
});
