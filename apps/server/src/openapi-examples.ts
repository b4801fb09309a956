import { sample } from "openapi-sampler";

type Json = Record<string, any>;
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/**
 * Gives every request body and response of the document an example, so each operation shows a
 * complete exchange in Swagger UI and code generators' docs. A media type keeps the example it was
 * declared with (the error envelopes declare theirs); otherwise one is built from the schema by
 * openapi-sampler (Redocly's), which uses the `example` of every property that has one and
 * generates matching values for patterns. A test validates each example against its schema.
 */
export function withExamples<D extends Json>(document: D): D {
  for (const pathItem of Object.values<Json>(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const media = [
        ...Object.values<Json>(operation.requestBody?.content ?? {}),
        ...Object.values<Json>(operation.responses ?? {}).flatMap((response) => Object.values<Json>(response.content ?? {})),
      ];
      for (const entry of media) {
        if (entry.schema && entry.example === undefined) {
          entry.example = sample(entry.schema, { skipReadOnly: true, enablePatterns: true, quiet: true }, document);
        }
      }
    }
  }
  return document;
}
