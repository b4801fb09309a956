// Types of parser.generated.js, which peggy generates from rules.peggy (see generate.mjs).
// Hand-written: peggy's API emits no declarations. Only parse.ts imports this module.
import type { RuleNode } from "./ast.js";

export interface PeggyPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface PeggyLocation {
  readonly source: unknown;
  readonly start: PeggyPosition;
  readonly end: PeggyPosition;
}

export type PeggyExpectation =
  | { readonly type: "literal"; readonly text: string; readonly ignoreCase: boolean }
  | { readonly type: "class"; readonly parts: readonly (string | readonly [string, string])[]; readonly inverted: boolean; readonly ignoreCase: boolean }
  | { readonly type: "any" }
  | { readonly type: "end" }
  | { readonly type: "other"; readonly description: string };

/** Thrown by `parse`; `expected` and `found` are null when a grammar action reported the error. */
export declare class SyntaxError extends globalThis.SyntaxError {
  readonly expected: readonly PeggyExpectation[] | null;
  readonly found: string | null;
  readonly location: PeggyLocation;
}

export declare const StartRules: readonly string[];

export declare function parse(input: string, options?: { readonly grammarSource?: unknown; readonly startRule?: "Rule" }): RuleNode;
