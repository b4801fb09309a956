/**
 * Run-time values of the rule language and the operations on them, with rule-engine's semantics
 * (rules.md, "Semantics"). Values are JSON: null, booleans, numbers (floats), strings, arrays and
 * mappings. Host data is read through `fromHost`, which turns anything that is not plain JSON
 * (functions, class instances, symbols…) into null, and mappings are read through `readKey`, which
 * only sees own properties: no prototype, constructor or host method is ever reachable from a rule.
 */

/** A mapping: a plain object (prototype Object.prototype or null); its values are read with readKey. */
export type Mapping = { readonly [key: string]: unknown };

/** An array; its items are read with readItem. */
export type List = readonly unknown[];

export type Value = null | boolean | number | string | List | Mapping;

/**
 * An evaluation error (type mismatch, `.x` on null, bad run-time regex…). It is thrown through the
 * closures and caught once by `evaluate`, which then answers false: a failing rule never grants.
 * Not an Error subclass: no stack trace is captured, which keeps hostile failing rules cheap.
 */
export class EvaluationFault {
  constructor(readonly reason: string) {}
}

export function fault(reason: string): never {
  throw new EvaluationFault(reason);
}

/** The rule-language view of a host value: JSON stays, anything else becomes null. */
export function fromHost(value: unknown): Value {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object": {
      if (value === null || Array.isArray(value)) return value;
      const prototype = Object.getPrototypeOf(value) as unknown;
      return prototype === Object.prototype || prototype === null ? (value as Mapping) : null;
    }
    default:
      return null;
  }
}

export function isList(value: Value): value is List {
  return Array.isArray(value);
}

export function isMapping(value: Value): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `mapping.key`: an own property only, else null. */
export function readKey(mapping: Mapping, key: string): Value {
  return Object.hasOwn(mapping, key) ? fromHost(mapping[key]) : null;
}

export function readItem(list: List, index: number): Value {
  return fromHost(list[index]);
}

export function typeName(value: Value): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "mapping" : typeof value === "number" ? "float" : typeof value;
}

/** Python truthiness: null, false, 0, "", [] and {} are false. */
export function truthy(value: Value): boolean {
  switch (typeof value) {
    case "boolean":
      return value;
    case "string":
      return value.length > 0;
    case "number":
      return value !== 0;
    case "object":
      if (value === null) return false;
      if (Array.isArray(value)) return value.length > 0;
      for (const key in value) if (Object.hasOwn(value, key)) return true;
      return false;
    default:
      return false;
  }
}

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

// ---------------------------------------------------------------- arithmetic

function numbers(op: string, left: Value, right: Value): [number, number] {
  if (typeof left !== "number" || typeof right !== "number") {
    fault(`unsupported operand types for ${op}: ${typeName(left)} and ${typeName(right)}`);
  }
  return [left, right];
}

/** Results that are not finite numbers are evaluation errors (Python raises, or has no float). */
function finite(op: string, result: number): number {
  if (!Number.isFinite(result)) fault(`${op} has no finite result`);
  return result;
}

export function add(left: Value, right: Value): Value {
  if (typeof left === "string" && typeof right === "string") return left + right;
  const [a, b] = numbers("+", left, right);
  return finite("+", a + b);
}

export function subtract(left: Value, right: Value): number {
  const [a, b] = numbers("-", left, right);
  return finite("-", a - b);
}

export function multiply(left: Value, right: Value): number {
  const [a, b] = numbers("*", left, right);
  return finite("*", a * b);
}

export function divide(left: Value, right: Value): number {
  const [a, b] = numbers("/", left, right);
  if (b === 0) fault("division by zero");
  return finite("/", a / b);
}

/** Python's float divmod: the remainder takes the divisor's sign, the quotient is floored. */
function divmod(op: string, left: Value, right: Value): [number, number] {
  const [a, b] = numbers(op, left, right);
  if (b === 0) fault(`${op} by zero`);
  let remainder = a % b;
  let quotient = (a - remainder) / b;
  if (remainder !== 0 && b < 0 !== remainder < 0) {
    remainder += b;
    quotient -= 1;
  }
  if (remainder === 0) remainder = b < 0 ? -0 : 0;
  let floored = Math.floor(quotient);
  if (quotient - floored > 0.5) floored += 1;
  if (quotient === 0) floored = a / b < 0 ? -0 : 0;
  return [finite(op, floored), finite(op, remainder)];
}

export function floorDivide(left: Value, right: Value): number {
  return divmod("//", left, right)[0];
}

export function modulo(left: Value, right: Value): number {
  return divmod("%", left, right)[1];
}

export function power(left: Value, right: Value): number {
  const [a, b] = numbers("**", left, right);
  if (a === 0 && b < 0) fault("zero cannot be raised to a negative power");
  // Python: 1 ** x is 1 and x ** 0 is 1 even for NaN; JavaScript answers NaN for 1 ** NaN.
  if (a === 1 || b === 0) return 1;
  return finite("**", a ** b);
}

export function negate(value: Value): number {
  if (typeof value !== "number") fault(`bad operand type for unary -: ${typeName(value)}`);
  return -value;
}

// ---------------------------------------------------------------- access

/** `object.name` (`object&.name` when safe): a mapping key; null on other values. */
export function member(object: Value, name: string, safe: boolean): Value {
  if (isMapping(object)) return readKey(object, name);
  if (object === null && !safe) fault(`cannot read .${name} of null (write &.${name} to allow null)`);
  return null;
}

/** `object[index]`: array items and string characters by position, mapping values by key. */
export function item(object: Value, index: Value, safe: boolean): Value {
  if (isMapping(object)) return typeof index === "string" ? readKey(object, index) : null;
  if (typeof object === "string") {
    const chars = codePoints(object);
    const position = positionOf(index, chars.length);
    return position === null ? null : chars[position]!;
  }
  if (isList(object)) {
    const position = positionOf(index, object.length);
    return position === null ? null : readItem(object, position);
  }
  if (object === null && safe) return null;
  return fault(`${typeName(object)} is not subscriptable`);
}

/** A Python index (negative counts from the end) as a position, or null when out of range. */
function positionOf(index: Value, length: number): number | null {
  if (typeof index !== "number" || !Number.isInteger(index)) fault(`indices must be integers, not ${typeName(index)}`);
  const position = index < 0 ? index + length : index;
  return position >= 0 && position < length ? position : null;
}

/** `object[start:stop]` on strings and arrays, with Python's clamping of the bounds. */
export function slice(object: Value, start: Value, stop: Value, safe: boolean): Value {
  if (object === null && safe) return null;
  if (typeof object === "string") {
    const chars = codePoints(object);
    return chars.slice(bound(start, chars.length, 0), bound(stop, chars.length, chars.length)).join("");
  }
  if (isList(object)) {
    return object.slice(bound(start, object.length, 0), bound(stop, object.length, object.length));
  }
  return fault(`${typeName(object)} cannot be sliced`);
}

function bound(value: Value, length: number, missing: number): number {
  if (value === null) return missing;
  if (typeof value !== "number" || !Number.isInteger(value)) fault(`slice bounds must be integers, not ${typeName(value)}`);
  if (value < 0) return Math.max(0, value + length);
  return Math.min(value, length);
}

/** Python indexes strings by code point; astral characters are two UTF-16 units in JavaScript. */
function codePoints(text: string): readonly string[] {
  return /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : text.split("");
}
