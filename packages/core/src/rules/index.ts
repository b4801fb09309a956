/**
 * The rule language of role rules (`twinRule`, `identityRule`) and identity visibility: the syntax
 * of Python's `rule-engine` package as Trusted Twin users write it (contract: spec/rules.md).
 *
 *   compileRule(text).evaluate(ctx)   cached; evaluate never throws, an evaluation error is false
 *   assertValidRule(text, field)      for use cases that store a rule: DomainError INVALID rule.syntax
 */
export type {
  ArrayNode,
  BinaryNode,
  BinaryOperator,
  IndexNode,
  LiteralNode,
  LiteralValue,
  MappingEntry,
  MappingNode,
  MemberNode,
  NameNode,
  RuleNode,
  SliceNode,
  Span,
  TernaryNode,
  UnaryNode,
} from "./ast.js";
export { clearCompiledRules, compileRule, type CompiledRule, type RuleOutcome } from "./compile.js";
export type { RuleContext } from "./context.js";
export { MAX_PATTERN_LENGTH, MAX_RULE_DEPTH, MAX_RULE_LENGTH } from "./limits.js";
export { parseRule } from "./parse.js";
export { printRule } from "./print.js";
export { RuleSyntaxError } from "./syntax-error.js";
export { assertValidRule } from "./validate.js";
