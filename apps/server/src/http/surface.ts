import type { z } from "zod";
import type { ErrorResponseDoc, HeaderDoc } from "./documented-errors.js";
import type { AppContext } from "./env.js";
import type { AnyRoute, SuccessStatus } from "./route-table.js";

/** Anything that answers requests in its own error envelope (both REST surfaces, tRPC). */
export interface Surface {
  /** `trustedtwin`, `connector` or `trpc`: the `surface` label of request metrics. */
  name: string;
  /** Largest accepted request body, in bytes. */
  maxBody: number;
  /** Renders any failure — DomainError, HttpProblem or unexpected — in this surface's envelope. */
  fail(c: AppContext, error: unknown): Response;
}

/** A REST surface: how its route tables are read, answered and documented. */
export interface RestSurface extends Surface {
  /** OpenAPI tag of every route. */
  tag: string;
  /** Every table is mounted under each prefix, with the same behaviour. */
  prefixes: readonly string[];
  /** Name of the OpenAPI security scheme authenticated routes use. */
  securityScheme: string;
  /** OpenAPI operationId of a route under a prefix (ids must be unique in the document). */
  operationId(route: AnyRoute, prefix: string): string;
  /** The documented success body: the route's own, inside the surface's envelope. */
  successSchema(response: z.ZodType): z.ZodType;
  /** Every failure a route can answer, by status: envelope, example, headers (see documented-errors.ts). */
  errorResponses(route: AnyRoute): Record<string, ErrorResponseDoc>;
  /** Headers of a route's success answer besides ETag (mount.ts adds that one). */
  successHeaders?(route: AnyRoute): Record<string, HeaderDoc>;
  /** Reads, decodes and parses the body of a route that declares one; throws HttpProblems. */
  readBody(c: AppContext): Promise<unknown>;
  /** A last check before the handler runs (content negotiation); throws to fail. */
  precheck?(c: AppContext, route: AnyRoute): void;
  succeed(c: AppContext, status: SuccessStatus, body: unknown): Response;
}
