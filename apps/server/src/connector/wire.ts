import { randomBytes } from "node:crypto";
import { z } from "@hono/zod-openapi";

export const CONNECTOR_PREFIXES = ["/api/core/v1", "/api/v2"] as const;

const ERROR_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** `ERR` + 17 characters of the Connector's error-id alphabet (32 symbols: 5 bits per byte). */
export const newErrorId = (): string => "ERR" + Array.from(randomBytes(17), (b) => ERROR_ID_ALPHABET[b & 31]).join("");

export const errorEnvelope = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "error.runtime.recordNotFound" }),
      message: z.string(),
      id: z.string().openapi({ example: "ERRABCDEFGHJKLMNPQR" }),
      time: z.string().openapi({ description: "ISO time of the error" }),
      docs: z.string().openapi({ example: "https://enmeshed.eu/integrate/error-codes#error.runtime.recordNotFound" }),
    }),
  })
  .openapi("ConnectorError");

/** `{"result": …}`: the Connector's success envelope. */
export const resultEnvelope = (schema: z.ZodType) => z.object({ result: schema });

/** Does an Accept header admit a JSON answer? (No header admits anything.) */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(",").some((range) => {
    const [type = "", ...params] = range.split(";").map((part) => part.trim().toLowerCase());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) return false;
    return type === "*/*" || type === "application/*" || type === "application/json";
  });
}
