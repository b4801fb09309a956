import { describe, expect, it } from "vitest";
import { compileRule, parseRule, RuleSyntaxError, type RuleContext } from "../../src/rules/index.js";
import { syntaxErrorOf } from "./support.js";

const evaluate = (rule: string, ctx: RuleContext = {}) => compileRule(rule).evaluate(ctx);

/** Milliseconds that `run` takes. */
function timed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

describe("catastrophic-backtracking patterns run in linear time", () => {
  const hostile = "a".repeat(10_000) + "b";

  it.each([
    "DICT.s =~ '(a+)+$'",
    "DICT.s =~~ '(a+)+$'",
    "DICT.s !~ '(a|aa)+$'",
    "DICT.s =~ '(a*)*c'",
    "DICT.s =~~ '(x+x+)+y|(a|a?)+$'",
    "DICT.s =~ '^(([a-z])+.)+[A-Z]([a-z])+$'",
  ])("%s on 10 kB of 'a' then 'b'", (rule) => {
    const compiled = compileRule(rule);
    const elapsed = timed(() => compiled.evaluate({ DICT: { s: hostile } }));
    expect(elapsed).toBeLessThan(1000);
  });

  it("a pattern computed at run time is just as safe", () => {
    const compiled = compileRule("DICT.s =~ DICT.p");
    let result = true;
    const elapsed = timed(() => {
      result = compiled.evaluate({ DICT: { s: hostile, p: "(a+)+$" } });
    });
    expect(result).toBe(false);
    expect(elapsed).toBeLessThan(1000);
  });

  it("the answer is still right", () => {
    expect(evaluate("DICT.s =~ '(a+)+$'", { DICT: { s: hostile } })).toBe(false);
    expect(evaluate("DICT.s =~ '(a+)+b$'", { DICT: { s: hostile } })).toBe(true);
  });

  it("a 1 MB subject takes linear time too", () => {
    const compiled = compileRule("DICT =~~ '(a|aa)+c'");
    const elapsed = timed(() => compiled.evaluate({ DICT: "a".repeat(1_000_000) }));
    expect(elapsed).toBeLessThan(5000);
  });
});

describe("no host property is reachable", () => {
  const USER = { profession: "sales" };
  const TWIN = { company: "acme" };

  it.each([
    "USER.constructor",
    "USER.__proto__",
    "USER.prototype",
    "USER.toString",
    "USER.hasOwnProperty",
    "USER.valueOf",
    "USER.__defineGetter__",
    "TWIN['constructor']",
    "TWIN['__proto__']",
    "TWIN&['toString']",
    "USER&.constructor",
    "'x'.length",
    "'x'.constructor",
    "USER.profession.length",
    "USER.profession.constructor",
    "[1, 2].length",
    "[].constructor",
    "{}.constructor",
    "{}['__proto__']",
    "(1).constructor",
    "true.constructor",
    "constructor",
    "__proto__",
    "toString",
    "globalThis",
    "process",
    "require",
  ])("%s is null", (expression) => {
    expect(evaluate(`${expression} == null`, { USER, TWIN })).toBe(true);
    expect(evaluate(expression, { USER, TWIN })).toBe(false);
  });

  it("membership only sees own keys", () => {
    expect(evaluate("'constructor' in USER or '__proto__' in USER or 'toString' in {}", { USER })).toBe(false);
  });

  it("a mapping literal with a __proto__ key is plain data and pollutes nothing", () => {
    expect(evaluate("{'__proto__': {'polluted': 1}}['__proto__']['polluted'] == 1")).toBe(true);
    expect(evaluate("{'__proto__': {'polluted': 1}}.polluted == null")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("host values in the context that are not JSON read as null", () => {
    class Profile {
      profession = "sales";
    }
    const ctx: RuleContext = {
      USER: { when: new Date(0), run: () => 1, profile: new Profile(), map: new Map([["a", 1]]), big: 1n, sym: Symbol("s") } as never,
      TWIN: new Profile() as never,
      fn: () => true,
    };
    for (const expression of ["USER.when", "USER.run", "USER.profile", "USER.profile&.profession", "USER.map", "USER.big", "USER.sym", "TWIN", "fn"]) {
      expect(evaluate(`${expression} == null`, ctx), expression).toBe(true);
    }
  });

  it("inherited context properties are not variables", () => {
    const ctx = Object.create({ USER: { profession: "sales" } }) as RuleContext;
    expect(evaluate("USER == null", ctx)).toBe(true);
  });

  it("a throwing getter or a cyclic value makes the rule false, never an exception", () => {
    const withGetter = {
      get USER(): never {
        throw new Error("boom");
      },
    };
    expect(evaluate("USER == null", withGetter)).toBe(false);
    const cycle = (): unknown[] => {
      const list: unknown[] = [];
      list.push(list);
      return list;
    };
    expect(evaluate("DICT.a == DICT.b", { DICT: { a: cycle(), b: cycle() } as never })).toBe(false);
    expect(evaluate("not (DICT.a == DICT.b)", { DICT: { a: cycle(), b: cycle() } as never })).toBe(false);
  });

  it("rules cannot reach eval or Function: there is no call syntax", () => {
    expect(syntaxErrorOf(() => parseRule("USER.constructor.constructor('return process')()")).reason).toBe(
      "function calls are not supported",
    );
  });
});

describe("hostile rule texts are syntax errors, not crashes", () => {
  it("65-deep nesting", () => {
    expect(syntaxErrorOf(() => parseRule("(".repeat(65) + "1" + ")".repeat(65))).reason).toBe("nesting deeper than 64 levels");
  });

  it("10,000-deep nesting", () => {
    for (const opener of ["(", "[", "{'k': ", "a["]) {
      expect(() => parseRule(opener.repeat(10_000))).toThrow(RuleSyntaxError);
      expect(() => compileRule(opener.repeat(1000))).toThrow(RuleSyntaxError);
    }
  });

  it("the longest unary and ternary chains still compile and evaluate", () => {
    expect(evaluate("-".repeat(4090) + "1 == 1")).toBe(true);
    expect(evaluate("not ".repeat(1022) + "true")).toBe(true);
    expect(evaluate("false ? 1 : ".repeat(340) + "true")).toBe(true);
  });
});
