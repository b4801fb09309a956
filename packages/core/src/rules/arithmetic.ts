// Arithmetic in the rule language, with Python's float semantics; a result that is not a finite
// number is an evaluation error.
import { fault, typeName, type Value } from "./values.js";

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
