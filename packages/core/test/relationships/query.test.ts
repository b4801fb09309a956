import { describe, expect, it } from "vitest";
import { compileQuery, type Field } from "../../src/relationships/query.js";

interface Item {
  name: string;
  n?: number;
  own: boolean;
  at: number;
}
const FIELDS: Record<string, Field<Item>> = {
  name: { get: (i) => i.name },
  n: { get: (i) => i.n },
  own: { get: (i) => i.own },
  at: { get: (i) => i.at, date: true },
};
const items: Item[] = [
  { name: "Alpha", n: 1, own: true, at: Date.parse("2025-01-01T00:00:00.000Z") },
  { name: "beta", n: 2, own: false, at: Date.parse("2025-06-01T00:00:00.000Z") },
  { name: "gamma", own: false, at: Date.parse("2026-01-01T00:00:00.000Z") },
];
const names = (query: Record<string, string | string[]>) => items.filter(compileQuery(query, FIELDS)).map((i) => i.name);

describe("Connector query filters", () => {
  it("equality, negation, any-of, existence", () => {
    expect(names({ name: "beta" })).toEqual(["beta"]);
    expect(names({ name: "!beta" })).toEqual(["Alpha", "gamma"]);
    expect(names({ name: ["beta", "gamma"] })).toEqual(["beta", "gamma"]);
    expect(names({ n: "" })).toEqual(["Alpha", "beta"]);
    expect(names({ n: "!" })).toEqual(["gamma"]);
  });

  it("numbers and booleans from their text; dates as times", () => {
    expect(names({ n: "2" })).toEqual(["beta"]);
    expect(names({ n: ">1" })).toEqual(["beta"]);
    expect(names({ own: "true" })).toEqual(["Alpha"]);
    expect(names({ at: "2025-06-01T00:00:00.000Z" })).toEqual(["beta"]);
    expect(names({ at: ">=2025-06-01T00:00:00.000Z" })).toEqual(["beta", "gamma"]);
    expect(names({ at: "<2025-06-01" })).toEqual(["Alpha"]);
  });

  it("starts with, ends with, contains — case-insensitive, regex characters literal", () => {
    expect(names({ name: "^al" })).toEqual(["Alpha"]);
    expect(names({ name: "$MA" })).toEqual(["gamma"]);
    expect(names({ name: "~et" })).toEqual(["beta"]);
    expect(names({ name: "~.*" })).toEqual([]);
  });

  it("unknown keys fail like upstream's schema", () => {
    expect(() => compileQuery({ nope: "1" }, FIELDS)).toThrow("query must NOT have additional properties");
    expect(() => compileQuery({ constructor: "1" }, FIELDS)).toThrow("query must NOT have additional properties");
  });
});
