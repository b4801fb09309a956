import { describe, expect, it } from "vitest";
import { renderedDom } from "../support/chromium.js";
import { withServer } from "../support/server.js";

describe("/docs in a real browser", () => {
  const fx = withServer();

  it("Swagger UI renders every operation of the OpenAPI document, from local assets only", async () => {
    const dom = await renderedDom(`${fx.server.url}/docs`);
    const rendered = [...dom.matchAll(/class="opblock-summary-path" data-path="([^"]+)"/g)].map((m) => m[1]);
    const doc = (await fx.server.http("GET", "/openapi.json")).body as { paths: Record<string, object> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map(() => path));
    expect(rendered.sort()).toEqual(operations.sort());
    expect(dom).toContain("trustedtwin");
    expect(dom).toContain("connector");
    const external = [...dom.matchAll(/(?:src|href)="(https?:[^"]+)"/g)].map((m) => m[1]).filter((u) => !u!.startsWith(fx.server.url));
    expect(external.filter((u) => !u!.includes("swagger.io") && !u!.includes("smartbear"))).toEqual([]);
  }, 90_000);
});
