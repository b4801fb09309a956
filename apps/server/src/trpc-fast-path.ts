import { appRouter, type createInnerContext } from "@idhub/api";
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse, type TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { AppContext } from "./http/env.js";

/**
 * The fast path of `/trpc` for the plainest call there is — one mutation, `POST /trpc/<procedure>`
 * with a JSON body and nothing else — through tRPC's public `callTRPCProcedure`, answered exactly as
 * the stock handler answers it (same body, status and headers; errors shaped by the router's own
 * formatter). It skips what the stock `fetchRequestHandler` builds for the general case: a WHATWG
 * Request and URL, an AbortSignal per call, the batch and streaming machinery (architecture.md:
 * ≈ 0.32 of the bare write path through the stock handler, ≈ 0.55 with this fast path).
 *
 * Everything else goes to the stock handler, untouched: batches (`?batch=1`, or any query string),
 * queries and GETs, subscriptions, streaming (`trpc-accept` / `accept: application/jsonl`), other
 * content types, bodies without Content-Length, JSON that does not parse (its PARSE_ERROR is the
 * stock handler's), unknown paths. The decision is taken before the procedure runs, so a call is
 * never executed twice. Our procedures return plain data (never streams or promises in the result),
 * which is the one case the stock handler would refuse after the fact.
 */
export interface FastCall {
  path: string;
  input: unknown;
}

const PROCEDURE_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;
// At run time, a flat map from "router.procedure" to the procedure.
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>;
const utf8 = new TextDecoder();

/** The procedure path when the request qualifies for the fast path (before its body is read). */
export function fastPathProcedure(c: AppContext): string | undefined {
  if (c.req.method !== "POST") return undefined;
  const url = c.req.url;
  if (url.includes("?")) return undefined;
  const path = c.req.path.slice("/trpc/".length);
  if (!PROCEDURE_PATH.test(path) || procedures[path]?._def.type !== "mutation") return undefined;
  const type = c.req.header("content-type")?.toLowerCase().split(";", 1)[0]?.trim();
  if (type !== "application/json" || c.req.header("content-length") === undefined) return undefined;
  if (c.req.header("trpc-accept") !== undefined || c.req.header("accept") === "application/jsonl") return undefined;
  return path;
}

/** The call's input as the stock JSON handler reads it: an empty body is `undefined`; else JSON. */
export function fastPathInput(bytes: Uint8Array): { ok: true; input: unknown } | { ok: false } {
  const text = utf8.decode(bytes);
  if (text === "") return { ok: true, input: undefined };
  try {
    return { ok: true, input: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

type Ctx = Awaited<ReturnType<typeof createInnerContext>>;

export interface FastCallHooks {
  /** The stock handler's `onError`. */
  onError(error: TRPCError): void;
  /** Extra headers for an error answer, as the stock handler's `responseMeta` gives them. */
  headersFor(error: TRPCError): Record<string, string>;
}

export async function answerFastCall(call: FastCall, ctx: Ctx, hooks: FastCallHooks): Promise<Response> {
  const config = appRouter._def._config;
  let body: unknown;
  let status = 200;
  let extra: Record<string, string> = {};
  try {
    const data = await callTRPCProcedure({
      router: appRouter,
      path: call.path,
      getRawInput: async () => call.input,
      ctx,
      type: "mutation",
      signal: undefined,
      batchIndex: 0,
    });
    body = { result: { data } };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    hooks.onError(error);
    status = getHTTPStatusCodeFromError(error);
    extra = hooks.headersFor(error);
    body = { error: getErrorShape({ config, ctx, error, input: call.input, path: call.path, type: "mutation" }) };
  }
  return new Response(JSON.stringify(transformTRPCResponse(config, body as never)), {
    status,
    headers: { vary: "trpc-accept, accept", "content-type": "application/json", ...extra },
  });
}
