import { describe, expect, it } from "vitest";
import { systemIds } from "../../src/shared/ids.js";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("systemIds", () => {
  it("hands out random v4 UUIDs and enmeshed ids of 20 characters", () => {
    expect(systemIds.uuid()).toMatch(V4);
    expect(systemIds.enmeshedId("IDM")).toMatch(/^IDM[A-Za-z0-9]{17}$/);
  });

  it("hands out v7 UUIDs that carry the current millisecond and sort by it", async () => {
    const before = Date.now();
    const first = systemIds.orderedUuid();
    await new Promise((resolve) => setTimeout(resolve, 3));
    const second = systemIds.orderedUuid();
    const msOf = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);
    expect(first).toMatch(V7);
    expect(msOf(first)).toBeGreaterThanOrEqual(before);
    expect(msOf(second)).toBeGreaterThan(msOf(first));
    expect(second > first).toBe(true);
  });

  it("never repeats an id across the random pool's refills", () => {
    const ids = Array.from({ length: 20_000 }, () => systemIds.orderedUuid());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 500)) expect(id).toMatch(V7);
  });
});
