import { describe, expect, it } from "vitest";
import { compileRule, type RuleContext } from "../../src/rules/index.js";
import type { JsonValue } from "../../src/shared/json.js";

const evaluate = (rule: string, ctx: RuleContext = {}) => compileRule(rule).evaluate(ctx);

type Row = readonly [rule: string, whenTrue: RuleContext, whenFalse: RuleContext];

/** Every example rule of Trusted Twin's documentation (reference §5.3), true and false. */
const TRUSTED_TWIN_EXAMPLES: readonly Row[] = [
  ["USER.profession == 'accounting'", { USER: { profession: "accounting" } }, { USER: { profession: "sales" } }],
  [
    "USER.profession == 'accounting' or USER.profession == 'sales'",
    { USER: { profession: "sales" } },
    { USER: { profession: "engineering" } },
  ],
  ["TWIN.company == USER.company", { TWIN: { company: "acme" }, USER: { company: "acme" } }, { TWIN: { company: "acme" }, USER: { company: "other" } }],
  ["DICT.serial == TWIN.serial", { DICT: { serial: "SN-1" }, TWIN: { serial: "SN-1" } }, { DICT: { serial: "SN-2" }, TWIN: { serial: "SN-1" } }],
  [
    'TWIN.kind == "cat" and entry_name in LEDGER.public',
    { TWIN: { kind: "cat" }, entry_name: "weight", LEDGER: { public: ["weight", "age"] } },
    { TWIN: { kind: "cat" }, entry_name: "owner", LEDGER: { public: ["weight", "age"] } },
  ],
  ["LEDGER.serial > 3", { LEDGER: { serial: 4 } }, { LEDGER: { serial: 3 } }],
  ["value_changed_ts == 1707997392.123", { value_changed_ts: 1707997392.123 }, { value_changed_ts: 1707997392.124 }],
  ["entry_value.user_list[2]", { entry_value: { user_list: ["a", "b", "c"] } }, { entry_value: { user_list: ["a", "b", ""] } }],
  ["entry_value.user_dict.name", { entry_value: { user_dict: { name: "Ann" } } }, { entry_value: { user_dict: {} } }],
];

const D = (DICT: JsonValue): RuleContext => ({ DICT });

/** Every form of the syntax table (rules.md), each under a context where it holds and one where it does not. */
const SYNTAX_TABLE: readonly Row[] = [
  // literals
  ["DICT == 'it\\'s'", D("it's"), D("its")],
  ['DICT == "say \\"hi\\""', D('say "hi"'), D("say hi")],
  ["DICT == '\\x41\\u00e9\\t'", D("Aé\t"), D("Ae\t")],
  ["DICT == 12", D(12), D(13)],
  ["DICT == 1.5", D(1.5), D(1.25)],
  ["DICT == 1e3", D(1000), D(100)],
  ["DICT == 0x1f", D(31), D(30)],
  ["DICT == 0o17", D(15), D(17)],
  ["DICT == 0b101", D(5), D(101)],
  ["DICT == 12.0", D(12), D(12.5)],
  ["DICT == true", D(true), D(1)],
  ["DICT == false", D(false), D(0)],
  ["DICT == null", D(null), D(0)],
  ["DICT == [1, 'a', [true]]", D([1, "a", [true]]), D([1, "a", [false]])],
  ['DICT == {"k": 1, "j": [null]}', D({ j: [null], k: 1 }), D({ k: 1 })],
  // names
  ["account == 'acc-1'", { account: "acc-1" }, { account: "acc-2" }],
  ["user == 'u-1' and role == 'r-1'", { user: "u-1", role: "r-1" }, { user: "u-1", role: "r-2" }],
  ["twin_status == 'alive' and twin == 't'", { twin_status: "alive", twin: "t" }, { twin_status: "terminated", twin: "t" }],
  ["identity == 'SN#1' and now > 1700000000", { identity: "SN#1", now: 1700000000.5 }, { identity: "SN#1", now: 1 }],
  // access
  ["DICT.a.b == 1", D({ a: { b: 1 } }), D({ a: { b: 2 } })],
  ["DICT.a[0] == 'x'", D({ a: ["x", "y"] }), D({ a: ["y", "x"] })],
  ["DICT.a[-1] == 'y'", D({ a: ["x", "y"] }), D({ a: ["y", "x"] })],
  ["DICT['k'] == 1", D({ k: 1 }), D({ k: 2 })],
  ["DICT.s[1] == 'b'", D({ s: "abc" }), D({ s: "bab" })],
  ["DICT.a[1:3] == [2, 3]", D({ a: [1, 2, 3, 4] }), D({ a: [1, 2] })],
  ["DICT.a[:-1] == [1]", D({ a: [1, 2] }), D({ a: [1] })],
  ["DICT.s[1:] == 'bc'", D({ s: "abc" }), D({ s: "bc" })],
  ["DICT.s[:2] == 'ab'", D({ s: "abc" }), D({ s: "b" })],
  ["DICT.s[:] == 'abc'", D({ s: "abc" }), D({ s: "ab" })],
  ["DICT.s[-2:] == 'bc'", D({ s: "abc" }), D({ s: "cb" })],
  ["DICT.x&.y == null", D({}), D({ x: { y: 1 } })],
  ["DICT.x&[0] == null", D({}), D({ x: [1] })],
  ["DICT.x&[1:] == null", D({}), D({ x: [1] })],
  // comparison
  ["DICT.a == DICT.b", D({ a: [1, { k: "v" }], b: [1, { k: "v" }] }), D({ a: [1, { k: "v" }], b: [1, { k: "w" }] })],
  ["DICT.a != DICT.b", D({ a: 1, b: "1" }), D({ a: "1", b: "1" })],
  ["DICT.a < DICT.b", D({ a: 1, b: 2 }), D({ a: 2, b: 2 })],
  ["DICT.a <= DICT.b", D({ a: "abc", b: "abd" }), D({ a: "b", b: "abd" })],
  ["DICT.a > DICT.b", D({ a: [1, 3], b: [1, 2, 9] }), D({ a: [1], b: [1, 0] })],
  ["DICT.a >= DICT.b", D({ a: true, b: false }), D({ a: false, b: true })],
  // regex
  ["DICT.s =~ 'ab'", D({ s: "abc" }), D({ s: "cab" })],
  ["DICT.s =~~ 'ab'", D({ s: "cab" }), D({ s: "acb" })],
  ["DICT.s !~ 'ab'", D({ s: "cab" }), D({ s: "abc" })],
  ["DICT.s !~~ 'ab'", D({ s: "acb" }), D({ s: "cab" })],
  ["DICT.email =~ '.*@example\\.com$'", D({ email: "a@example.com" }), D({ email: "a@example.com.evil" })],
  // logic
  ["DICT.a and DICT.b", D({ a: 1, b: "x" }), D({ a: 1, b: "" })],
  ["DICT.a or DICT.b", D({ a: 0, b: [0] }), D({ a: 0, b: [] })],
  ["not DICT.a", D({ a: {} }), D({ a: { k: null } })],
  ["DICT.c ? DICT.a : DICT.b", D({ c: true, a: 1, b: 0 }), D({ c: false, a: 1, b: 0 })],
  ["(DICT.a ?? 'd') == 'd'", D({}), D({ a: "x" })],
  ["DICT.a ?? DICT.b", D({ a: null, b: true }), D({ a: false, b: true })],
  // membership
  ["DICT.x in [1, 'two', null]", D({ x: "two" }), D({ x: 2 })],
  ["DICT.x in DICT.list", D({ x: [1], list: [[1], [2]] }), D({ x: [3], list: [[1], [2]] })],
  ["DICT.x in DICT.map", D({ x: "k", map: { k: 0 } }), D({ x: "v", map: { k: "v" } })],
  ["DICT.x in 'hello'", D({ x: "ell" }), D({ x: "elo" })],
  ["DICT.x not in ['a', 'b']", D({ x: "c" }), D({ x: "a" })],
  // arithmetic
  ["DICT.a + DICT.b == 3", D({ a: 1, b: 2 }), D({ a: 1, b: 1 })],
  ["DICT.a + DICT.b == 'ab'", D({ a: "a", b: "b" }), D({ a: "b", b: "a" })],
  ["DICT.a - DICT.b == -1", D({ a: 1, b: 2 }), D({ a: 2, b: 1 })],
  ["DICT.a * DICT.b == 6", D({ a: 2, b: 3 }), D({ a: 2, b: 2 })],
  ["DICT.a / DICT.b == 3.5", D({ a: 7, b: 2 }), D({ a: 6, b: 2 })],
  ["DICT.a // DICT.b == -4", D({ a: -7, b: 2 }), D({ a: 7, b: 2 })],
  ["DICT.a % DICT.b == 1", D({ a: -7, b: 2 }), D({ a: -8, b: 2 })],
  ["DICT.a ** DICT.b == 8", D({ a: 2, b: 3 }), D({ a: 3, b: 2 })],
  ["-DICT.a == 1", D({ a: -1 }), D({ a: 1 })],
  // grouping and comments
  ["(DICT.a or DICT.b) and DICT.c", D({ a: true, b: false, c: true }), D({ a: true, b: false, c: false })],
  ["DICT.a or (DICT.b and DICT.c)", D({ a: true, b: false, c: false }), D({ a: false, b: true, c: false })],
  ["DICT.a # is it set?\n  and DICT.b # both", D({ a: 1, b: 1 }), D({ a: 1, b: 0 })],
];

describe("Trusted Twin's example rules", () => {
  it.each(TRUSTED_TWIN_EXAMPLES)("%s", (rule, whenTrue, whenFalse) => {
    expect(evaluate(rule, whenTrue)).toBe(true);
    expect(evaluate(rule, whenFalse)).toBe(false);
  });

  it("true grants to everyone", () => {
    expect(evaluate("true")).toBe(true);
    expect(evaluate("true", { USER: { profession: "anything" } })).toBe(true);
    expect(evaluate("false")).toBe(false);
  });
});

describe("every form of the syntax table", () => {
  it.each(SYNTAX_TABLE)("%s", (rule, whenTrue, whenFalse) => {
    expect(evaluate(rule, whenTrue)).toBe(true);
    expect(evaluate(rule, whenFalse)).toBe(false);
  });
});

describe("semantics", () => {
  it("a missing variable or key is null", () => {
    expect(evaluate("nothing == null")).toBe(true);
    expect(evaluate("USER.missing == null", { USER: {} })).toBe(true);
    expect(evaluate("USER['missing'] == null", { USER: {} })).toBe(true);
    expect(evaluate("DICT.a[5] == null", D({ a: [1] }))).toBe(true);
    expect(evaluate("USER == null", { USER: undefined })).toBe(true);
  });

  it("truthiness is Python's", () => {
    for (const value of [null, false, 0, "", [], {}]) expect(evaluate("DICT", D(value))).toBe(false);
    for (const value of [true, 1, -0.5, "a", [0], { k: null }]) expect(evaluate("DICT", D(value))).toBe(true);
  });

  it.each([
    ["USER.x.y == 1", { USER: {} }, ".x on null"],
    ["not (USER.x.y == 1)", { USER: {} }, ".x on null, negated"],
    ["not (1 < 'a')", {}, "a type mismatch in <"],
    ["not (null < null)", {}, "null is not ordered"],
    ["not ({} < {})", {}, "mappings are not ordered"],
    ["not (1 + 'a' == 1)", {}, "float + string"],
    ["not ('a' * 2 == 'aa')", {}, "string * float"],
    ["not (1 / 0 == 1)", {}, "division by zero"],
    ["not (1 // 0 == 1)", {}, "floor division by zero"],
    ["not (1 % 0 == 1)", {}, "modulo by zero"],
    ["not (0 ** -1 == 1)", {}, "zero to a negative power"],
    ["not ((-8) ** 0.5 == 1)", {}, "no real result"],
    ["not (10 ** 400 == 1)", {}, "overflow"],
    ["not (-'a' == 1)", {}, "unary minus on a string"],
    ["not (1 in 'abc')", {}, "in with a number in a string"],
    ["not ('a' in null)", {}, "in on null"],
    ["not ('a' in 5)", {}, "in on a number"],
    ["not (DICT =~ 'a')", D(5), "regex on a number"],
    ["not (DICT =~ 'a')", D(null), "regex on null"],
    ["not (DICT.s =~ DICT.p)", D({ s: "a", p: "(" }), "bad run-time pattern"],
    ["not (DICT.s =~ DICT.p)", D({ s: "ab", p: "a(?=b)" }), "run-time look-ahead"],
    ["not (DICT.s =~ DICT.p)", D({ s: "a", p: "a".repeat(257) }), "run-time pattern too long"],
    ["not (DICT.s =~ DICT.p)", D({ s: "a", p: 1 }), "run-time pattern not a string"],
    ["not (DICT[1.5] == 1)", D([1, 2]), "fractional index"],
    ["not (DICT['a'] == 1)", D([1, 2]), "string index into an array"],
    ["not (DICT[0] == 1)", D(5), "index into a number"],
    ["not (null[0] == 1)", {}, "index into null"],
    ["not (DICT[0:1] == 1)", D({ k: 1 }), "slice of a mapping"],
    ["not (DICT[0.5:] == 1)", D("abc"), "fractional slice bound"],
    ["not ({1: 2} == 1)", {}, "a mapping key that is not a string"],
  ])("an evaluation error anywhere makes the whole rule false: %s (%s)", (rule, ctx, _why) => {
    expect(evaluate(rule, ctx)).toBe(false);
    expect(compileRule(rule).explain(ctx).error).toBeTypeOf("string");
  });

  it("and/or short-circuit before an erroring operand, as rule-engine does", () => {
    expect(evaluate("true or 1 < 'a'")).toBe(true);
    expect(evaluate("not (false and 1 < 'a')")).toBe(true);
    expect(evaluate("null ?? 1 < 'a'")).toBe(false);
    expect(evaluate("1 ?? 1 < 'a'")).toBe(true);
    expect(evaluate("true ? 1 : 1 < 'a'")).toBe(true);
  });

  it("explain says why a rule failed", () => {
    expect(compileRule("USER.a.b").explain({ USER: {} })).toEqual({
      result: false,
      error: "cannot read .b of null (write &.b to allow null)",
    });
    expect(compileRule("1 < 'a'").explain({})).toEqual({ result: false, error: "cannot compare float with string" });
    expect(compileRule("USER.a").explain({ USER: { a: 1 } })).toEqual({ result: true });
  });

  it("values of different types are unequal, never coerced", () => {
    expect(evaluate("1 == '1'")).toBe(false);
    expect(evaluate("1 != '1'")).toBe(true);
    expect(evaluate("true == 1")).toBe(false);
    expect(evaluate("0 == false")).toBe(false);
    expect(evaluate("null == 0")).toBe(false);
    expect(evaluate("[] == {}")).toBe(false);
    expect(evaluate("'' == null")).toBe(false);
  });

  it("all numbers are floats", () => {
    expect(evaluate("1 == 1.0 and 0x10 == 16.0 and 1e0 == 1")).toBe(true);
    expect(evaluate("7 / 2 == 3.5")).toBe(true);
    expect(evaluate("DICT == 1", D(1.0))).toBe(true);
  });

  it("// and % follow Python's floored semantics", () => {
    const cases: [string, number][] = [
      ["7 // 2", 3],
      ["-7 // 2", -4],
      ["7 // -2", -4],
      ["-7 // -2", 3],
      ["7 % 3", 1],
      ["-7 % 3", 2],
      ["7 % -3", -2],
      ["-7 % -3", -1],
      ["7.5 // 2", 3],
      ["-7.5 % 2", 0.5],
      ["2 ** 3 ** 2", 64], // left-associative, as in rule-engine
      ["-2 ** 2", 4], // unary minus binds tighter than ** in rule-engine
      ["2 ** -1", 0.5],
      ["1 + 2 * 3 - 4 / 2", 5],
    ];
    for (const [expression, expected] of cases) expect(evaluate(`${expression} == ${expected}`), expression).toBe(true);
  });

  it("ordering: same type only, arrays lexicographically, strings by code point", () => {
    expect(evaluate("[1, 2] < [1, 3] and [1] < [1, 0] and not ([2] < [1, 9])")).toBe(true);
    expect(evaluate("not ([1, 'a'] < [1, 2])")).toBe(false); // mismatched items: an error, so false
    expect(evaluate("false < true and 'B' < 'a' and 'a' < 'ab'")).toBe(true);
    expect(evaluate("'\\uffff' < '\\U0001F600'")).toBe(true); // UTF-16 order would say otherwise
  });

  it("strings index and slice by code point, as Python", () => {
    expect(evaluate("DICT[1] == '😀' and DICT[2:] == 'b' and DICT[-1] == 'b'", D("a😀b"))).toBe(true);
  });

  it("in tests array items, mapping keys and substrings", () => {
    expect(evaluate("'k' in {'k': 1} and not ('v' in {'k': 'v'}) and '' in 'abc' and [1] in [[1]]")).toBe(true);
    expect(evaluate("1 in {'1': 1}")).toBe(false);
  });

  it("regex operators follow Python's re.match and re.search", () => {
    const ctx = D({ s: "abc", line: "abc\n", date: "2024-05-01" });
    expect(evaluate("DICT.s =~ 'b'", ctx)).toBe(false); // match is anchored at the start…
    expect(evaluate("DICT.s =~ 'a'", ctx)).toBe(true); // …but not at the end
    expect(evaluate("DICT.s =~~ 'b'", ctx)).toBe(true);
    expect(evaluate("DICT.s =~ 'abc$' and DICT.line =~ 'abc$'", ctx)).toBe(true); // $ before a final newline
    expect(evaluate("DICT.line =~ 'abc\\Z'", ctx)).toBe(false);
    expect(evaluate("DICT.s =~ '(?i)ABC'", ctx)).toBe(true);
    expect(evaluate("DICT.date =~ '(?P<year>\\d{4})-(?P<month>\\d{2})'", ctx)).toBe(true);
    expect(evaluate("DICT.s =~ 'x|a'", ctx)).toBe(true); // the alternation stays inside the anchor
    expect(evaluate("DICT.s =~ DICT.p", D({ s: "abc", p: "a.c" }))).toBe(true);
    expect(evaluate("DICT.s =~~ DICT.p", D({ s: "xabc", p: "b" }))).toBe(true);
  });

  it("mapping and array literals build values", () => {
    expect(evaluate("{'a': [1, 2]}['a'][1] == 2")).toBe(true);
    expect(evaluate("{'a': 1, 'a': 2}['a'] == 2")).toBe(true);
    expect(evaluate("[DICT.x, 2] == [1, 2]", D({ x: 1 }))).toBe(true);
  });

  it("members of non-mappings are null, as no host property is reachable", () => {
    expect(evaluate("'x'.length == null and DICT.length == null and (1).real == null", D([1, 2]))).toBe(true);
  });
});

describe("compileRule", () => {
  it("returns the same compiled rule for the same text", () => {
    const text = "USER.profession == 'accounting'";
    expect(compileRule(text)).toBe(compileRule(text));
    expect(compileRule(text).text).toBe(text);
  });

  it("keeps at most 1000 rules", () => {
    const first = compileRule("DICT == -1");
    for (let i = 0; i < 1000; i++) compileRule(`DICT == ${i}`);
    expect(compileRule("DICT == -1")).not.toBe(first);
  });

  it("a context that is not an object cannot make evaluate throw", () => {
    expect(compileRule("true or USER").evaluate(null as unknown as RuleContext)).toBe(true);
    expect(compileRule("USER == null").evaluate(null as unknown as RuleContext)).toBe(false);
  });
});
