import type { JsonObject, JsonValue } from "../shared/json.js";
import { relationshipErrors as E } from "./errors.js";

// The two content families the runtime accepts for templates and for relationship creation,
// normalized the way ts-serval's toJSON() does it: only the class's own fields are kept.

export type TemplateContentKind = "arbitrary" | "request";

/**
 * Types the runtime knows (so an `@type` naming one of them is not `unknownType`), but that are
 * not allowed as template or creation content.
 */
const OTHER_KNOWN_TYPES: Record<string, string | undefined> = {
  Message: "secretKey",
  Request: "items",
  Response: "result",
  TokenContentRelationshipTemplate: "templateId",
  Mail: "to",
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function typeOf(content: unknown, notAContent: () => Error): string {
  if (!isObject(content) || !("@type" in content)) throw notAContent();
  const type = content["@type"];
  if (typeof type !== "string") throw E.typeNotString();
  return type;
}

function rejectOtherType(type: string, content: Record<string, unknown>, notAContent: () => Error): never {
  if (!(type in OTHER_KNOWN_TYPES)) throw E.unknownType(type);
  const required = OTHER_KNOWN_TYPES[type];
  if (required !== undefined && content[required] === undefined) throw E.valueNotDefined(type, required);
  throw notAContent();
}

export interface NormalizedTemplateContent {
  kind: TemplateContentKind;
  content: JsonObject;
}

/**
 * `ArbitraryRelationshipTemplateContent {value}` or `RelationshipTemplateContent {title?, metadata?,
 * onNewRelationship, onExistingRelationship?}`; the latter's `onNewRelationship.expiresAt` defaults
 * to the template's expiry and may not exceed it.
 */
export function normalizeTemplateContent(content: unknown, templateExpiresAt: number): NormalizedTemplateContent {
  const type = typeOf(content, E.templateContentType);
  const object = content as Record<string, unknown>;
  if (type === "ArbitraryRelationshipTemplateContent") {
    if (object.value === undefined || object.value === null) throw E.valueNotDefined(type);
    return { kind: "arbitrary", content: { "@type": type, value: object.value as JsonValue } };
  }
  if (type === "RelationshipTemplateContent") {
    const onNew = object.onNewRelationship;
    if (onNew === undefined || onNew === null) throw E.valueNotDefined(type, "onNewRelationship");
    if (!isObject(onNew)) throw E.templateContentType();
    if (object.title !== undefined && (typeof object.title !== "string" || object.title.length > 200)) {
      throw E.valueNotDefined(type, "title");
    }
    if (object.metadata !== undefined && !isObject(object.metadata)) throw E.valueNotDefined(type, "metadata");
    if (object.onExistingRelationship !== undefined && !isObject(object.onExistingRelationship)) {
      throw E.valueNotDefined(type, "onExistingRelationship");
    }
    const request: JsonObject = { ...(onNew as JsonObject) };
    if (request.expiresAt === undefined) {
      request.expiresAt = new Date(templateExpiresAt).toISOString();
    } else if (typeof request.expiresAt !== "string" || !(Date.parse(request.expiresAt) <= templateExpiresAt)) {
      throw E.requestCannotExpireAfterTemplate();
    }
    const normalized: JsonObject = { "@type": type };
    if (object.title !== undefined) normalized.title = object.title as string;
    if (object.metadata !== undefined) normalized.metadata = object.metadata as JsonObject;
    normalized.onNewRelationship = request;
    if (object.onExistingRelationship !== undefined) normalized.onExistingRelationship = object.onExistingRelationship as JsonObject;
    return { kind: "request", content: normalized };
  }
  return rejectOtherType(type, object, E.templateContentType);
}

export function templateContentKind(content: JsonValue): TemplateContentKind {
  return isObject(content) && content["@type"] === "RelationshipTemplateContent" ? "request" : "arbitrary";
}

/**
 * `ArbitraryRelationshipCreationContent {value}` or `RelationshipCreationContent {response}`, then
 * the 7.x pairing rules with the template's content. A RelationshipCreationContent needs the
 * Request machinery (an accepted incoming Request), which idhub does not have.
 */
export function normalizeCreationContent(content: unknown, template: TemplateContentKind): JsonObject {
  const type = typeOf(content, E.creationContentType);
  const object = content as Record<string, unknown>;
  if (type === "ArbitraryRelationshipCreationContent") {
    if (object.value === undefined || object.value === null) throw E.valueNotDefined(type);
    if (template === "request") throw E.creationContentMustBeResponse();
    return { "@type": type, value: object.value as JsonValue };
  }
  if (type === "RelationshipCreationContent") {
    if (object.response === undefined || object.response === null) throw E.valueNotDefined(type, "response");
    if (template === "arbitrary") throw E.creationContentMustBeArbitrary();
    throw E.noAcceptedIncomingRequest();
  }
  return rejectOtherType(type, object, E.creationContentType);
}
