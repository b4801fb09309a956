/** Safety caps of the rule language (rules.md, "Safety"); a hostile account writes rules too. */

/** Longest rule text, in UTF-16 code units. */
export const MAX_RULE_LENGTH = 4096;

/** Deepest nesting of parentheses, brackets and braces. */
export const MAX_RULE_DEPTH = 64;

/** Longest regular expression pattern, literal or computed at run time. */
export const MAX_PATTERN_LENGTH = 256;

/** Distinct rule texts kept compiled. */
export const COMPILED_RULE_CACHE_SIZE = 1000;

/** Distinct patterns kept compiled (literal patterns of cached rules plus run-time patterns). */
export const PATTERN_CACHE_SIZE = 512;
