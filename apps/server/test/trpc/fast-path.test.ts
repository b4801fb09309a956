import { describe, expect, it } from "vitest";
import { withServer } from "../support/server.js";

// trpc-fast-path.ts answers plain single mutations itself; the stock fetch handler answers the rest.
// The same request sent with a chunked body (no Content-Length, so never on the fast path) is the
// stock handler's answer to compare with: status, body and the headers tRPC sets must be identical.
describe("tRPC fast path for single mutations", () => {
  const fx = withServer("sqlite", { me: "fast path" });

  async function send(path: string, body: string, headers: Record<string, string>, chunked: boolean) {
    const bytes = new TextEncoder().encode(body);
    const res = await fetch(`${fx.server.url}/trpc/${path}`, {
      method: "POST",
      headers,
      ...(chunked
        ? {
            body: new ReadableStream({
              start(controller) {
                controller.enqueue(bytes);
                controller.close();
              },
            }),
            duplex: "half",
          }
        : { body: bytes }),
    } as RequestInit);
    return { status: res.status, vary: res.headers.get("vary"), type: res.headers.get("content-type"), retryAfter: res.headers.get("retry-after"), body: await res.json() };
  }

  // Each case runs twice on a fresh key: so the success answers (versions, timestamps) line up too.
  const cases: Array<[string, string, (key: string) => unknown, (secret: string) => Record<string, string>]> = [
    ["a successful upsert", "identityMetadata.upsert", (key) => ({ reference: "SELF", key, value: { n: 1 } }), (s) => ({ Authorization: s })],
    ["invalid input", "identityMetadata.upsert", () => ({ reference: 42 }), (s) => ({ Authorization: s })],
    ["no input", "identityMetadata.upsert", () => undefined, (s) => ({ Authorization: s })],
    ["no secret", "identityMetadata.upsert", (key) => ({ reference: "SELF", key, value: 1 }), () => ({})],
    ["a wrong secret", "identityMetadata.upsert", (key) => ({ reference: "SELF", key, value: 1 }), () => ({ Authorization: "nope" })],
    ["an unknown procedure", "identityMetadata.nope", () => ({}), (s) => ({ Authorization: s })],
    ["a query sent as POST", "identityMetadata.get", () => ({ reference: "SELF" }), (s) => ({ Authorization: s })],
  ];

  for (const [what, path, input, headers] of cases) {
    it(`answers ${what} exactly as the stock handler`, async () => {
      const answers = [];
      for (const chunked of [false, true]) {
        const value = input(`${what}-${chunked}`);
        const text = value === undefined ? "" : JSON.stringify(value).replace('"SELF"', JSON.stringify(fx.me.account.address));
        const answer = await send(path, text, { "Content-Type": "application/json", ...headers(fx.me.secret) }, chunked);
        answers.push(answer);
      }
      const [fast, stock] = answers as [Awaited<ReturnType<typeof send>>, Awaited<ReturnType<typeof send>>];
      // Only the key and the timestamps differ between the two successful upserts.
      const normalize = (a: typeof fast) => JSON.parse(JSON.stringify(a).replace(/"(createdAt|updatedAt)":\d+/g, '"$1":0').replace(/-(true|false)"/g, '"'));
      expect(normalize(fast)).toEqual(normalize(stock));
      expect(fast.status).toBe(stock.status);
    });
  }

  it("answers malformed JSON exactly as the stock handler (which it hands the bytes to)", async () => {
    const headers = { "Content-Type": "application/json", Authorization: fx.me.secret };
    const fast = await send("identityMetadata.upsert", "{not json", headers, false);
    const stock = await send("identityMetadata.upsert", "{not json", headers, true);
    expect(fast).toEqual(stock);
    expect(fast.status).toBe(400);
  });

  it("stores what the fast path acknowledged", async () => {
    const input = { reference: fx.me.account.address, key: "stored", value: { kept: true } };
    const answer = await send("identityMetadata.upsert", JSON.stringify(input), { "Content-Type": "application/json", Authorization: fx.me.secret }, false);
    expect(answer.status).toBe(200);
    const principal = await fx.server.core.access.authenticate({ secret: fx.me.secret, client: "test" });
    expect(await fx.server.core.identityMetadata.get(principal, { reference: fx.me.account.address, key: "stored" })).toMatchObject({ value: { kept: true }, version: 1 });
  });
});
