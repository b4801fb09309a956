import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/errors.js";
import { assertValidRule } from "../../src/rules/index.js";

function rejection(text: string, field: string): DomainError {
  try {
    assertValidRule(text, field);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

describe("assertValidRule", () => {
  it("accepts a valid rule", () => {
    expect(() => assertValidRule("USER.profession == 'accounting' or USER.profession == 'sales'", "visibility")).not.toThrow();
  });

  it("a syntax error is INVALID rule.syntax with the field and the position", () => {
    const error = rejection("USER.profession == 'accounting' of", "visibility");
    expect(error.kind).toBe("INVALID");
    expect(error.code).toBe("rule.syntax");
    expect(error.message).toBe('visibility: line 1, column 33: expected operator or end of rule but found "of"');
    expect(error.details).toEqual({ field: "visibility", line: 1, column: 33 });
  });

  it("positions count lines", () => {
    expect(rejection("a == 1 and\n  $now > 2", "rules.twinRule").details).toEqual({ field: "rules.twinRule", line: 2, column: 3 });
  });

  it("an empty rule is refused", () => {
    const error = rejection("", "visibility");
    expect([error.kind, error.code, error.message]).toEqual(["INVALID", "rule.syntax", "visibility: a rule must not be empty"]);
    expect(error.details).toEqual({ field: "visibility", line: 1, column: 1 });
    expect(rejection("  # nothing\n", "visibility").code).toBe("rule.syntax");
  });

  it("a rule over 4096 characters is refused", () => {
    const error = rejection(`'${"x".repeat(4095)}'`, "rules.identityRule");
    expect(error.message).toBe("rules.identityRule: line 1, column 4097: rule is longer than 4096 characters");
  });

  it("a bad regex literal is refused at the literal", () => {
    const error = rejection("USER.name =~ '(a)(?=b)'", "visibility");
    expect(error.details).toEqual({ field: "visibility", line: 1, column: 14 });
    expect(error.message).toContain("look-ahead assertions");
  });
});
