import { describe, expect, it } from "vitest";
import { upsertMetadataSchema } from "../../../src/identity-metadata/inputs.js";
import { parseIso } from "../../../src/relationships/templates/checks.js";
import { isoDateTime } from "../../../src/relationships/templates/inputs.js";
import { runtimeSchema, type RuntimeSchema } from "../../../src/shared/validation/index.js";

// The runtime schemas (ajv, as the enmeshed runtime runs it) report upstream's first error, in
// ajv's order. The upsert table runs against the real identity-metadata upsert schema.

const upsert = upsertMetadataSchema;
/** The message of the error a schema throws for `input`, or undefined when the input is valid. */
function firstError(schema: RuntimeSchema<unknown>, input: unknown): string | undefined {
  try {
    schema.parse(input);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
const REF = "did:e:localhost:dids:0123456789abcdef012345";
const PATTERN = "reference must match pattern did:e:((([A-Za-z0-9]+(-[A-Za-z0-9]+)*)\\.)+[a-z]{2,}|localhost):dids:[0-9a-f]{22}";

describe("firstError (upstream's upsert table)", () => {
  it.each<[unknown, string | undefined]>([
    [{}, "must have required property 'reference'"],
    [{ reference: REF }, "must have required property 'value'"],
    [{ value: 1 }, "must have required property 'reference'"],
    [{ reference: REF, value: 1, extra: 1 }, "must NOT have additional properties"],
    [{ reference: 5, value: 1, extra: 1 }, "must NOT have additional properties"],
    [{ reference: REF, key: 5, value: 1 }, "key must be string"],
    [{ reference: REF, key: null, value: 1 }, "key must be string"],
    [{ reference: 5, value: 1 }, "reference must be string"],
    [{ reference: "id1abc", value: 1 }, PATTERN],
    [{ reference: REF.toUpperCase(), value: 1 }, PATTERN],
    [{ reference: "did:e:example:dids:0123456789abcdef012345", value: 1 }, PATTERN],
    [{ reference: "did:e:127.0.0.1:dids:0123456789abcdef012345", value: 1 }, PATTERN],
    [{ reference: `xx${REF}yy`, value: 1 }, PATTERN],
    [{ reference: `${REF}00`, value: 1 }, PATTERN],
    [[], "must be object"],
    ["text", "must be object"],
    [undefined, "must be object"],
    [{ reference: REF, value: null }, undefined],
    [{ reference: REF, key: "", value: [] }, undefined],
    [{ reference: "did:e:my-host.example.com:dids:0123456789abcdef012345", value: 0 }, undefined],
  ])("%j → %s", (input, message) => {
    expect(firstError(upsert, input)).toBe(message);
  });

  it("names nested paths with slashes and uses ajv's keyword messages", () => {
    const rule = runtimeSchema({
      type: "object",
      properties: {
        n: { type: "number", minimum: 1 },
        p: {
          type: "object",
          properties: { password: { type: "string", minLength: 1 }, passwordIsPin: { type: "boolean", const: true } },
          required: ["password"],
          additionalProperties: false,
        },
        at: isoDateTime,
      },
    });
    expect(firstError(rule, { n: 0 })).toBe("n must be >= 1");
    expect(firstError(rule, { n: "1" })).toBe("n must be number");
    expect(firstError(rule, { p: {} })).toBe("p must have required property 'password'");
    expect(firstError(rule, { p: { password: "" } })).toBe("p/password must NOT have fewer than 1 characters");
    expect(firstError(rule, { p: { password: "x", passwordIsPin: false } })).toBe("p/passwordIsPin must be equal to constant");
    expect(firstError(rule, { at: "tomorrow" })).toBe("at must match ISO8601 datetime format");
    expect(firstError(rule, { at: 5 })).toBe("at must match ISO8601 datetime format");
  });
});

describe("parseIso", () => {
  it.each([
    ["2030-01-01T01:00:00+01:00", "2030-01-01T00:00:00.000Z"],
    ["2030-01-01T01:00:00+0100", "2030-01-01T00:00:00.000Z"],
    ["2030-01-01T01:00:00+01", "2030-01-01T00:00:00.000Z"],
    ["2030-01-01", "2030-01-01T00:00:00.000Z"],
    ["2030-01-01T10:20", "2030-01-01T10:20:00.000Z"],
    ["2030-01-01T00:00:00.123456Z", "2030-01-01T00:00:00.123Z"],
  ])("%s is %s (UTC, milliseconds)", (text, iso) => {
    expect(new Date(parseIso(text, "expiresAt")).toISOString()).toBe(iso);
  });

  it("rejects impossible dates with the ISO message", () => {
    expect(() => parseIso("2030-13-45", "expiresAt")).toThrow("expiresAt must match ISO8601 datetime format");
  });
});
