import { describe, expect, it } from "vitest";
import { newSecretKey } from "../../../src/access/credentials.js";
import { DomainError } from "../../../src/errors.js";
import { deviceIdOf } from "../../../src/relationships/ids.js";
import { isReferenceShaped, keyMatches, parseReference, referencesOf } from "../../../src/relationships/templates/reference.js";
import { systemIds } from "../../../src/shared/ids.js";

const newId = systemIds.enmeshedId;

const source = { id: newId("RLT"), secretKey: newSecretKey(), forIdentity: null, protection: null };

describe("references", () => {
  it("ids and keys have the enmeshed shapes; the device id is stable per account", () => {
    expect(newId("REL")).toMatch(/^REL[A-Za-z0-9]{17}$/);
    expect(source.secretKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(deviceIdOf("a")).toMatch(/^DVC[A-Za-z0-9]{17}$/);
    expect(deviceIdOf("a")).toBe(deviceIdOf("a"));
    expect(deviceIdOf("a")).not.toBe(deviceIdOf("b"));
  });

  it("truncated = base64url(`<id>|3|<key>||`), starting UkxU for templates and VE9L for tokens", () => {
    const { truncated, url } = referencesOf(source, "https://localhost");
    expect(Buffer.from(truncated, "base64url").toString()).toBe(`${source.id}|3|${source.secretKey}||`);
    expect(truncated).toMatch(/^UkxU/);
    expect(truncated.length).toBeGreaterThanOrEqual(88);
    expect(referencesOf({ ...source, id: newId("TOK") }, "https://x").truncated).toMatch(/^VE9L/);
    expect(url).toBe(`https://localhost/r/${source.id}#${Buffer.from(`3|${source.secretKey}||`).toString("base64url")}`);
    expect(isReferenceShaped(truncated) && isReferenceShaped(url)).toBe(true);
    expect(parseReference(truncated)).toEqual({ kind: "template", id: source.id, key: source.secretKey });
    expect(parseReference(url)).toEqual({ kind: "template", id: source.id, key: source.secretKey });
  });

  it("carries the last 4 characters of forIdentity and the password type", () => {
    const personal = referencesOf(
      { ...source, forIdentity: "did:e:localhost:dids:0123456789abcdef01abcd", protection: { password: "1234", passwordIsPin: true } },
      "https://h",
    );
    const parts = Buffer.from(personal.truncated, "base64url").toString().split("|");
    expect(parts[3]).toBe("abcd");
    expect(parts[4]).toMatch(/^pin4&/);
    expect(parseReference(personal.truncated).key).toBe(source.secretKey);
  });

  it("accepts the 7.x `<id>@<backbone>` form and rejects wrong component counts and prefixes", () => {
    const withBackbone = Buffer.from(`${source.id}@https://backbone|3|${source.secretKey}||`).toString("base64url");
    expect(parseReference(withBackbone).id).toBe(source.id);
    const four = Buffer.from(`${source.id}|3|${source.secretKey}|x`).toString("base64url");
    expect(() => parseReference(four)).toThrow(DomainError);
    expect(() => parseReference(four)).toThrow("but it consists of '4' components.");
    const other = Buffer.from(`FIL${"a".repeat(17)}|3|${source.secretKey}||`).toString("base64url");
    expect(() => parseReference(other)).toThrow("The given reference is invalid for performing the requested action.");
  });

  it("compares keys in constant time and exactly", () => {
    expect(keyMatches(source.secretKey, source.secretKey)).toBe(true);
    expect(keyMatches(source.secretKey.slice(1), source.secretKey)).toBe(false);
    expect(keyMatches("", source.secretKey)).toBe(false);
  });
});
