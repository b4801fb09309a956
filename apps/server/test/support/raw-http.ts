import { request as httpRequest } from "node:http";
import type { Reply } from "./http.js";

// A raw client: node:http sends the path exactly as given (fetch would normalise `..` and more),
// and can pick the local address. PIN redemption is throttled per client address, so the one
// unauthenticated route is fuzzed from other loopback addresses (127.0.0.2…) than the seeded
// account's own requests, which would otherwise be locked out by design after 20 failures.

export function rawHttp(baseUrl: string, method: string, path: string, headers: Record<string, string>, body: string | Uint8Array | undefined, localAddress = "127.0.0.1"): Promise<Reply> {
  const url = new URL(baseUrl);
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, localAddress, headers: { ...headers, ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            if (text !== "") parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(", ") : v);
          resolvePromise({ status: res.statusCode ?? 0, headers: responseHeaders, body: parsed, text });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** fast-check prints the whole counterexample; hostile inputs are large, so keep lines readable. */
export function shortened(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const short = new Error(error.message.split("\n").map((line) => (line.length > 2_000 ? `${line.slice(0, 2_000)}… (${line.length} chars)` : line)).join("\n"), { cause: error.cause });
  return short;
}
