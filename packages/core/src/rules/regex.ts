/**
 * The regex operators on a linear-time engine. Rule authors write Python `re` patterns; re2js (a
 * pure-JavaScript RE2) runs them without backtracking, so no pattern a hostile account writes can
 * take more than linear time. What RE2 cannot do in linear time (back-references, look-arounds) is
 * rejected with a message that says so.
 */
import { RE2JS } from "re2js";
import { BoundedCache } from "./cache.js";
import { MAX_PATTERN_LENGTH, PATTERN_CACHE_SIZE } from "./limits.js";

/** `match`: Python `re.match`, anchored at the start only. `search`: `re.search`, anywhere. */
export type RegexMode = "match" | "search";

/** A pattern this language refuses; `reason` is shown to the rule's author. */
export class PatternError extends Error {
  override readonly name = "PatternError";
}

/** A compiled pattern: `test(s)` says whether it matches `s` in its mode. */
export interface CompiledPattern {
  test(input: string): boolean;
}

const compiled = new BoundedCache<CompiledPattern>(PATTERN_CACHE_SIZE);

/** Compiles (or finds in the cache) a Python pattern for a mode; throws PatternError. */
export function compilePattern(pattern: string, mode: RegexMode): CompiledPattern {
  const key = mode + "\u0000" + pattern;
  const cached = compiled.get(key);
  if (cached) return cached;
  const result = compileUncached(pattern, mode);
  compiled.set(key, result);
  return result;
}

function compileUncached(pattern: string, mode: RegexMode): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new PatternError(`regular expression longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  const translated = translatePattern(pattern);
  // Compiled alone first: only a pattern that parses on its own may be wrapped in `\A(?:…)`
  // (a stray `)` or a trailing `\` would otherwise change the wrapper's meaning).
  const searching = compileRe2(translated);
  const regex = mode === "search" ? searching : compileRe2(`\\A(?:${translated})`);
  return { test: (input) => regex.test(input) };
}

function compileRe2(source: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error);
    throw new PatternError(`invalid regular expression: ${detail}`);
  }
}

/**
 * Rewrites a Python pattern into RE2 syntax with the same meaning, or throws PatternError for
 * what RE2 cannot express. Handled differences: `\Z` (RE2 `\z`), `$` (Python also matches before a
 * final newline), `\uXXXX`/`\UXXXXXXXX` escapes, `(?#comments)`.
 */
export function translatePattern(pattern: string): string {
  const multiline = /\(\?[a-zA-Z-]*m[a-zA-Z-]*[:)]/.test(pattern);
  let out = "";
  let classStart = -1; // index right after `[` or `[^` while inside a character class
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "\\") {
      const [text, length] = translateEscape(pattern, i, classStart >= 0);
      out += text;
      i += length - 1;
    } else if (classStart >= 0) {
      if (char === "]" && i !== classStart) classStart = -1;
      out += char;
    } else if (char === "[") {
      classStart = pattern[i + 1] === "^" ? i + 2 : i + 1;
      out += char;
    } else if (char === "(" && pattern[i + 1] === "?") {
      const skipped = groupPrefix(pattern, i);
      if (skipped > 0) i += skipped - 1;
      else out += char;
    } else if (char === "$" && !multiline) {
      out += "(?:\\n?\\z)";
    } else {
      out += char;
    }
  }
  return out;
}

/** The RE2 text for the escape at `i` and how many pattern characters it spans. */
function translateEscape(pattern: string, i: number, inClass: boolean): [string, number] {
  const next = pattern[i + 1];
  if (next === undefined) return ["\\", 1]; // RE2 reports the trailing backslash
  if (!inClass && /[1-9]/.test(next) && !/^[0-3][0-7]{2}$/.test(pattern.slice(i + 1, i + 4))) {
    throw new PatternError("back-references (\\1, \\2, …) are not supported by the linear-time regex engine");
  }
  if (next === "Z") return ["\\z", 2];
  const unicode = next === "u" ? /^[0-9a-fA-F]{4}/ : next === "U" ? /^[0-9a-fA-F]{8}/ : null;
  if (unicode) {
    const digits = unicode.exec(pattern.slice(i + 2))?.[0];
    if (!digits) throw new PatternError(`invalid regular expression: truncated \\${next} escape`);
    return [`\\x{${digits}}`, 2 + digits.length];
  }
  return ["\\" + next, 2];
}

/**
 * Checks a `(?` group opener at `i`. Throws for look-arounds and named back-references; returns the
 * length of a Python comment group to drop, or 0 to keep the text as it is.
 */
function groupPrefix(pattern: string, i: number): number {
  const rest = pattern.slice(i + 2, i + 4);
  if (rest.startsWith("=") || rest.startsWith("!")) {
    throw new PatternError("look-ahead assertions ((?=…), (?!…)) are not supported by the linear-time regex engine");
  }
  if (rest === "<=" || rest === "<!") {
    throw new PatternError("look-behind assertions ((?<=…), (?<!…)) are not supported by the linear-time regex engine");
  }
  if (rest === "P=") {
    throw new PatternError("back-references ((?P=name)) are not supported by the linear-time regex engine");
  }
  if (rest.startsWith("#")) {
    const end = pattern.indexOf(")", i);
    if (end < 0) throw new PatternError("invalid regular expression: unterminated comment group");
    return end - i + 1;
  }
  return 0;
}
