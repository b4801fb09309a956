// Comparison in the rule language, with rule-engine's semantics: `==`, `< <= > >=` and `in`.
import { fault, isList, isMapping, readItem, readKey, typeName, type List, type Mapping, type Value } from "./values.js";

/** `==`: deep equality; values of different types are simply unequal. */
export function equals(left: Value, right: Value): boolean {
  if (left === right) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) return false;
  if (isList(left)) return isList(right) && listsEqual(left, right);
  return isMapping(right) && mappingsEqual(left as Mapping, right);
}

function listsEqual(left: List, right: List): boolean {
  if (left.length !== right.length) return false;
  for (let i = 0; i < left.length; i++) {
    if (!equals(readItem(left, i), readItem(right, i))) return false;
  }
  return true;
}

function mappingsEqual(left: Mapping, right: Mapping): boolean {
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && equals(readKey(left, key), readKey(right, key)));
}

/**
 * Ordering for `< <= > >=`: negative, zero or positive; NaN when unordered (a NaN number), which
 * makes every ordering comparison false as in Python. Only two values of the same type (float,
 * string, boolean, array) are ordered; anything else is an evaluation error.
 */
export function order(left: Value, right: Value): number {
  if (typeof left === "number" && typeof right === "number") {
    return left < right ? -1 : left > right ? 1 : left === right ? 0 : Number.NaN;
  }
  if (typeof left === "string" && typeof right === "string") return compareStrings(left, right);
  if (typeof left === "boolean" && typeof right === "boolean") return Number(left) - Number(right);
  if (isList(left) && isList(right)) return compareLists(left, right);
  return fault(`cannot compare ${typeName(left)} with ${typeName(right)}`);
}

/** Python compares strings by code point; JavaScript's `<` compares UTF-16 units. */
function compareStrings(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    if (left.charCodeAt(i) !== right.charCodeAt(i)) return left.codePointAt(i)! - right.codePointAt(i)!;
  }
  return left.length - right.length;
}

/** Lexicographic, as Python lists: the first unequal items decide, else the shorter list is less. */
function compareLists(left: List, right: List): number {
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const a = readItem(left, i);
    const b = readItem(right, i);
    if (!equals(a, b)) return order(a, b);
  }
  return left.length - right.length;
}

/** `member in container`: an array item, a mapping key or a substring. */
export function contains(container: Value, member: Value): boolean {
  if (typeof container === "string") {
    if (typeof member !== "string") fault(`'in <string>' needs a string on the left, not ${typeName(member)}`);
    return container.includes(member);
  }
  if (isList(container)) {
    for (let i = 0; i < container.length; i++) if (equals(member, readItem(container, i))) return true;
    return false;
  }
  if (isMapping(container)) return typeof member === "string" && Object.hasOwn(container, member);
  return fault(`'in' needs an array, a mapping or a string on the right, not ${typeName(container)}`);
}
