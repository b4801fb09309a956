import { describe, expect, it } from "vitest";
import { normalizeCreationContent, normalizeTemplateContent } from "../../src/relationships/content.js";

const EXPIRES = Date.parse("2030-01-01T00:00:00.000Z");
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return [(error as { code: string }).code, (error as Error).message];
  }
  return undefined;
};

describe("template content", () => {
  it("keeps only the class's fields of ArbitraryRelationshipTemplateContent", () => {
    expect(
      normalizeTemplateContent({ "@type": "ArbitraryRelationshipTemplateContent", "@version": "1", x: 1, value: { "@type": "N" } }, EXPIRES),
    ).toEqual({ kind: "arbitrary", content: { "@type": "ArbitraryRelationshipTemplateContent", value: { "@type": "N" } } });
    for (const value of ["", 0, {}, false]) {
      expect(normalizeTemplateContent({ "@type": "ArbitraryRelationshipTemplateContent", value }, EXPIRES).content).toEqual({
        "@type": "ArbitraryRelationshipTemplateContent",
        value,
      });
    }
  });

  it("rejects what the runtime rejects, with its codes", () => {
    const must = "The content of a RelationshipTemplate must either be a RelationshipTemplateContent or an ArbitraryRelationshipTemplateContent.";
    expect(codeOf(() => normalizeTemplateContent({}, EXPIRES))).toEqual(["error.runtime.validation.invalidPropertyValue", must]);
    expect(codeOf(() => normalizeTemplateContent("x", EXPIRES))).toEqual(["error.runtime.validation.invalidPropertyValue", must]);
    expect(codeOf(() => normalizeTemplateContent([], EXPIRES))?.[0]).toBe("error.runtime.validation.invalidPropertyValue");
    expect(codeOf(() => normalizeTemplateContent({ "@type": "ArbitraryRelationshipTemplateContent", value: null }, EXPIRES))).toEqual([
      "error.runtime.requestDeserialization",
      "ArbitraryRelationshipTemplateContent.value :: Value is not defined",
    ]);
    expect(codeOf(() => normalizeTemplateContent({ "@type": true }, EXPIRES))).toEqual(["error.runtime.servalError", "@type is not a string."]);
    expect(codeOf(() => normalizeTemplateContent({ "@type": "ArbitraryRelationshipCreationContent", value: 1 }, EXPIRES))).toEqual([
      "error.runtime.unknownType",
      "Type 'ArbitraryRelationshipCreationContent' with version 1 was not found within reflection classes. You might have to install a module first.",
    ]);
  });

  it("RelationshipTemplateContent: onNewRelationship.expiresAt defaults to the template's and may not exceed it", () => {
    const content = { "@type": "RelationshipTemplateContent", onNewRelationship: { "@type": "Request", items: [] } };
    expect(normalizeTemplateContent(content, EXPIRES).content).toEqual({
      "@type": "RelationshipTemplateContent",
      onNewRelationship: { "@type": "Request", items: [], expiresAt: "2030-01-01T00:00:00.000Z" },
    });
    const late = { ...content, onNewRelationship: { ...content.onNewRelationship, expiresAt: "2030-01-02T00:00:00.000Z" } };
    expect(codeOf(() => normalizeTemplateContent(late, EXPIRES))?.[0]).toBe(
      "error.runtime.relationshipTemplates.requestCannotExpireAfterRelationshipTemplate",
    );
    expect(codeOf(() => normalizeTemplateContent({ "@type": "RelationshipTemplateContent" }, EXPIRES))).toEqual([
      "error.runtime.requestDeserialization",
      "RelationshipTemplateContent.onNewRelationship :: Value is not defined",
    ]);
  });
});

describe("creation content", () => {
  it("normalizes ArbitraryRelationshipCreationContent and applies the pairing rules", () => {
    expect(normalizeCreationContent({ "@type": "ArbitraryRelationshipCreationContent", value: {}, x: 1 }, "arbitrary")).toEqual({
      "@type": "ArbitraryRelationshipCreationContent",
      value: {},
    });
    expect(codeOf(() => normalizeCreationContent({ "@type": "ArbitraryRelationshipCreationContent", value: 1 }, "request"))?.[1]).toBe(
      "The creationContent of a Relationship must be a RelationshipCreationContent if the content of the RelationshipTemplate is a RelationshipTemplateContent.",
    );
    expect(codeOf(() => normalizeCreationContent(null, "arbitrary"))?.[1]).toBe(
      "The creationContent of a Relationship must either be an ArbitraryRelationshipCreationContent or a RelationshipCreationContent.",
    );
    expect(codeOf(() => normalizeCreationContent({ "@type": "RelationshipCreationContent" }, "request"))).toEqual([
      "error.runtime.requestDeserialization",
      "RelationshipCreationContent.response :: Value is not defined",
    ]);
  });
});
