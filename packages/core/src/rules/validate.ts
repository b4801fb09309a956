import { invalid } from "../errors.js";
import { compileRule } from "./compile.js";
import { RuleSyntaxError } from "./syntax-error.js";

/**
 * For the use cases that store a rule (role rules, identity visibility): a rule must be non-empty,
 * at most 4096 characters and parse. Anything else is a DomainError INVALID with code
 * `rule.syntax`, a message such as `visibility: line 1, column 17: expected …` and details
 * `{field, line, column}`. A valid rule is compiled on the way, so its first evaluation is warm.
 */
export function assertValidRule(text: string, field: string): void {
  if (typeof text !== "string" || text.length === 0) {
    throw invalid("rule.syntax", `${field}: a rule must not be empty`, { field, line: 1, column: 1 });
  }
  try {
    compileRule(text);
  } catch (error) {
    if (!(error instanceof RuleSyntaxError)) throw error;
    throw invalid("rule.syntax", `${field}: ${error.message}`, { field, line: error.line, column: error.column });
  }
}
