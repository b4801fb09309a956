/**
 * A rule that does not parse. The message reads `line 1, column 17: expected …`; `reason` is the
 * part after the position. Positions are 1-based; the offset counts UTF-16 code units from 0.
 */
export class RuleSyntaxError extends Error {
  override readonly name = "RuleSyntaxError";

  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    /** What the parser would have accepted at that position, when it knows. */
    readonly expected: readonly string[] = [],
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/** A syntax error at `offset` of `text`, with line and column counted like the parser does. */
export function syntaxErrorAt(text: string, offset: number, reason: string): RuleSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return new RuleSyntaxError(reason, offset, line, offset - lineStart + 1);
}
