import type { Action, Core, Principal } from "@idhub/core";
import type { z } from "zod";

/**
 * A REST route as data. Each surface keeps a table of these; its mount function turns every entry
 * into a Hono route and an OpenAPI path. Adding a route = adding one entry.
 *
 * `handle` only reshapes the validated wire input into one core use case call; `render` only
 * reshapes the result into the wire shape documented by `response`. Decisions live in core.
 */
export type Method = "get" | "post" | "put" | "patch" | "delete";
export type SuccessStatus = 200 | 201 | 204;

type Schema = z.ZodType | undefined;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type Rendered<S> = S extends z.ZodType ? z.input<S> : undefined;

export interface RouteInput<P, Q, B, Caller> {
  core: Core;
  /** The authenticated caller; null on public routes. */
  principal: Caller;
  params: P;
  query: Q;
  body: B;
  /** The peer's address (throttles unauthenticated credential checks). */
  client: string;
  /** From `If-Match`, on routes declared `ifMatch` (see http/conditional.ts); else undefined. */
  expectedVersion: number | undefined;
}

export interface RouteSpec<
  PS extends Schema = undefined,
  QS extends Schema = undefined,
  BS extends Schema = undefined,
  RS extends Schema = undefined,
  R = unknown,
  Public extends boolean = false,
> {
  method: Method;
  /** OpenAPI path template relative to the surface's prefix, e.g. `/users/{user}`. */
  path: string;
  /** The use case's permission: checked before the wire input is parsed, then by core (why: http/mount.ts). */
  action?: Action;
  /** Defaults to `action`. */
  operationId?: string;
  summary: string;
  description?: string;
  /** No principal needed (the route may still authenticate a credential of its own). */
  public?: Public;
  /** The path carries a credential: the access log shows the template instead. */
  sensitivePath?: boolean;
  params?: PS;
  query?: QS;
  body?: BS;
  status: SuccessStatus;
  /** The success body as sent (before any surface envelope). */
  response?: RS;
  handle(input: RouteInput<Parsed<PS>, Parsed<QS>, Parsed<BS>, Public extends true ? null : Principal>): Promise<R>;
  render?(result: R): Rendered<RS>;
  /** The answer carries `ETag: "<version>"` of the result (R must then have a `version`). */
  etag?: boolean;
  /** The route honours `If-Match` (handed to `handle` as `expectedVersion`; a mismatch is 412). */
  ifMatch?: boolean;
}

// The table's element type: the per-entry types have done their job once `route()` accepted it.
export type AnyRoute = RouteSpec<any, any, any, any, any, boolean>;

/** Declares one table entry with its input and output types checked against its schemas. */
export const route = <
  PS extends Schema = undefined,
  QS extends Schema = undefined,
  BS extends Schema = undefined,
  RS extends Schema = undefined,
  R = unknown,
  Public extends boolean = false,
>(
  spec: RouteSpec<PS, QS, BS, RS, R, Public>,
): AnyRoute => spec as AnyRoute;
