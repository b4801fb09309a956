import { expectContract } from "./openapi-contract.js";

export interface Reply {
  status: number;
  headers: Headers;
  /** The body parsed as JSON when it is JSON, else the text ("" when empty). */
  body: any;
  text: string;
}

export interface RequestOptions {
  /** Sent as `Authorization: <secret>` unless `headers` say otherwise. */
  secret?: string;
  /** JSON-encoded unless it is a string or bytes (sent as is). */
  body?: unknown;
  headers?: Record<string, string>;
}

export type HttpClient = (method: string, path: string, options?: RequestOptions) => Promise<Reply>;

/**
 * A small fetch wrapper: one call per request, replies with the parsed body and the raw text. Every
 * REST reply is checked against the committed OpenAPI document (openapi-contract.ts).
 */
export function httpClient(baseUrl: string): HttpClient {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.secret !== undefined) headers.authorization = options.secret;
    let body: RequestInit["body"];
    if (typeof options.body === "string" || options.body instanceof Uint8Array) body = options.body as RequestInit["body"];
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(baseUrl + path, { method, headers: { ...headers, ...options.headers }, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      if (text !== "") parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    expectContract({ method, path, status: response.status, headers: response.headers, body: parsed });
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}

/**
 * `fetch` for tests that need the raw Response (streams, headers only): the answer is checked
 * against the committed OpenAPI document like every reply of httpClient.
 */
export async function contractFetch(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  const text = await response.clone().text();
  let body: unknown = text;
  try {
    if (text !== "") body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const { pathname, search } = new URL(url);
  expectContract({ method: init?.method ?? "GET", path: pathname + search, status: response.status, headers: response.headers, body });
  return response;
}
