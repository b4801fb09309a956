import { describe, expect, it } from "vitest";
import {
  decodeDictHeader,
  DomainError,
  fingerprintOf,
  hashCredential,
  LoginThrottle,
  MemoryFailureCounter,
  newPin,
  newSecret,
  sameHash,
} from "../../src/index.js";

describe("credentials", () => {
  it("secrets are 64 characters of the base64 alphabet and differ", () => {
    const a = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(newSecret()).not.toBe(a);
    expect(fingerprintOf(a)).toBe(a.slice(60));
  });

  it("pins are 6 unambiguous characters", () => {
    for (let i = 0; i < 50; i++) expect(newPin()).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
  });

  it("hashes are SHA-256 hex and compared by value", () => {
    const h = hashCredential("x");
    expect(h).toBe("2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
    expect(sameHash(h, hashCredential("x"))).toBe(true);
    expect(sameHash(h, hashCredential("y"))).toBe(false);
    expect(sameHash(h, "ab")).toBe(false);
  });
});

describe("decodeDictHeader", () => {
  it("decodes base64 JSON objects", () => {
    const header = Buffer.from(JSON.stringify({ serial: "b0f5" })).toString("base64");
    expect(decodeDictHeader(header)).toEqual({ serial: "b0f5" });
    expect(decodeDictHeader(undefined)).toEqual({});
  });

  it.each([["not base64!"], [Buffer.from("[1,2]").toString("base64")], [Buffer.from("{bad").toString("base64")], [Buffer.from("null").toString("base64")]])(
    "rejects %s as INVALID",
    (header) => {
      expect(() => decodeDictHeader(header)).toThrowError(DomainError);
      try {
        decodeDictHeader(header);
      } catch (e) {
        expect((e as DomainError).kind).toBe("INVALID");
        expect((e as DomainError).code).toBe("auth.invalidDictHeader");
      }
    },
  );
});

describe("LoginThrottle", () => {
  it("blocks an address after maxFailures within the window, says when to retry, then forgives it", async () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now }, { maxFailures: 3, windowMs: 10_000 });
    for (let i = 0; i < 3; i++) {
      await throttle.check("a");
      await throttle.recordFailure("a");
    }
    now = 2_500;
    await expect(throttle.check("a")).rejects.toMatchObject({ code: "auth.throttled", details: { retryAfterSeconds: 8 } });
    await expect(throttle.check("b")).resolves.toBeUndefined();
    now = 10_000;
    await expect(throttle.check("a")).resolves.toBeUndefined();
  });

  it("keeps its memory bounded", async () => {
    const counter = new MemoryFailureCounter(10);
    const throttle = new LoginThrottle({ now: () => 0 }, { maxFailures: 3, windowMs: 1000 }, counter);
    for (let i = 0; i < 1000; i++) await throttle.recordFailure(`client-${i}`);
    expect(counter.size).toBeLessThanOrEqual(10);
  });
});
