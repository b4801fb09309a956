import { beforeAll, describe, expect, it } from "vitest";
import { withServer } from "../support/server.js";

// Every relationship-template, relationship and identity-metadata route is described in the
// OpenAPI document, under the prefixes it exists on, with per-prefix (6.x / 7.x) DTO schemas.

const SHARED = [
  ["put", "/IdentityMetadata"],
  ["get", "/IdentityMetadata"],
  ["delete", "/IdentityMetadata"],
  ["post", "/RelationshipTemplates/Own"],
  ["get", "/RelationshipTemplates"],
  ["get", "/RelationshipTemplates/Own"],
  ["get", "/RelationshipTemplates/Peer"],
  ["post", "/RelationshipTemplates/Peer"],
  ["get", "/RelationshipTemplates/{id}"],
  ["post", "/RelationshipTemplates/Own/{id}/Token"],
  ["put", "/Relationships/CanCreate"],
  ["post", "/Relationships"],
  ["get", "/Relationships"],
  ["get", "/Relationships/{id}"],
  ["put", "/Relationships/{id}/Accept"],
  ["put", "/Relationships/{id}/Reject"],
  ["put", "/Relationships/{id}/Revoke"],
  ["put", "/Relationships/{id}/Terminate"],
  ["put", "/Relationships/{id}/Reactivate"],
  ["put", "/Relationships/{id}/Reactivate/Accept"],
  ["put", "/Relationships/{id}/Reactivate/Reject"],
  ["put", "/Relationships/{id}/Reactivate/Revoke"],
  ["delete", "/Relationships/{id}"],
] as const;

describe("OpenAPI for the Connector relationship and metadata routes", () => {
  const fx = withServer();
  let doc: any;
  beforeAll(async () => {
    doc = (await fx.server.http("GET", "/docs/json")).body;
  });

  it("documents every route under both prefixes, with a summary, a description and the connector tag", () => {
    for (const prefix of ["/api/core/v1", "/api/v2"]) {
      for (const [method, path] of SHARED) {
        const op = doc.paths[prefix + path]?.[method];
        expect(op, `${method} ${prefix}${path}`).toBeDefined();
        expect(op.tags).toEqual(["connector"]);
        expect(op.summary.length).toBeGreaterThan(10);
        expect(op.description.length).toBeGreaterThan(20);
        expect(op.security).toEqual([{ ApiKeyAuth: [] }]);
        expect(op.responses["401"]).toBeDefined();
      }
    }
    expect(doc.paths["/api/core/v1/RelationshipTemplates/{id}"].delete.description).toBeDefined();
    expect(doc.paths["/api/v2/RelationshipTemplates/{id}"].delete).toBeUndefined();
  });

  it("answers with the right status per route and the per-prefix DTO schemas", () => {
    expect(Object.keys(doc.paths["/api/v2/IdentityMetadata"].put.responses)).toContain("200");
    expect(Object.keys(doc.paths["/api/v2/IdentityMetadata"].delete.responses)).toContain("204");
    expect(Object.keys(doc.paths["/api/v2/Relationships"].post.responses)).toContain("201");
    const schemaOf = (path: string, method: string, status: string) =>
      doc.paths[path][method].responses[status].content["application/json"].schema.properties.result;
    expect(schemaOf("/api/v2/Relationships/{id}", "get", "200")).toEqual({ $ref: "#/components/schemas/ConnectorRelationshipV2" });
    expect(schemaOf("/api/core/v1/Relationships/{id}", "get", "200")).toEqual({ $ref: "#/components/schemas/ConnectorRelationship" });
    expect(doc.components.schemas.ConnectorRelationshipV2.required).toContain("template");
    expect(doc.components.schemas.ConnectorRelationship.required).toContain("templateId");
    expect(doc.components.schemas.ConnectorRelationshipTemplateV2.required).toContain("truncatedReference");
    expect(doc.components.schemas.ConnectorRelationshipTemplate.required).toContain("reference");
    expect(doc.components.schemas.ConnectorIdentityMetadata.required).toEqual(["reference", "value"]);
    expect(doc.components.schemas.ConnectorUpsertIdentityMetadataRequest).toMatchObject({ required: ["reference", "value"], additionalProperties: false });
    const params = doc.paths["/api/core/v1/IdentityMetadata"].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(["reference", "key"]);
  });
});
