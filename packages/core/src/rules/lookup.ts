// Reading into values in the rule language: `.name`, `[index]` and `[start:stop]`, with Python's
// indexing (negative positions, code points, clamped slice bounds).
import { fault, isList, isMapping, readItem, readKey, typeName, type Value } from "./values.js";

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
