import { describe, expect, it } from "vitest";
import { description, jsonValue, MAX_JSON_DEPTH, nestedDeeperThan } from "../../src/index.js";

// Found by apps/server/test/fuzz-rest.test.ts: a twin or user description nested 3,000+ levels deep
// overflowed the stack inside the recursive zod schema and was answered 500.

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe("jsonValue depth", () => {
  it("accepts values nested up to the limit", () => {
    expect(jsonValue.safeParse(nested(MAX_JSON_DEPTH)).success).toBe(true);
    expect(description.safeParse({ k: nested(MAX_JSON_DEPTH) }).success).toBe(true);
  });

  it("rejects deeper values with a validation issue instead of overflowing the stack", () => {
    for (const levels of [MAX_JSON_DEPTH + 1, 3_000, 100_000]) {
      const result = jsonValue.safeParse(nested(levels));
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe(`must be nested at most ${MAX_JSON_DEPTH} levels deep`);
    }
    expect(description.safeParse({ k: nested(10_000) }).success).toBe(false);
  });

  it("still rejects what is not JSON", () => {
    expect(jsonValue.safeParse({ a: [Number.NaN] }).success).toBe(false);
    expect(jsonValue.safeParse({ a: undefined }).success).toBe(false);
  });

  it("counts depth without recursion", () => {
    expect(nestedDeeperThan(nested(2), 2)).toBe(false);
    expect(nestedDeeperThan(nested(3), 2)).toBe(true);
    expect(nestedDeeperThan("scalar", 0)).toBe(false);
    expect(nestedDeeperThan(nested(1_000_000), 10)).toBe(true);
  });
});
