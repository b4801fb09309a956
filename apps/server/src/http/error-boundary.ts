import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";

/**
 * Hono hands only Error instances to `onError`; anything else thrown (some libraries throw plain
 * objects) would reach the Node adapter and become an empty, unlogged 500. Wrap it so the surface's
 * renderer answers and logs it like any unexpected error.
 */
export const errorBoundary: MiddlewareHandler<AppEnv> = async (_c, next) => {
  try {
    await next();
  } catch (thrown) {
    throw thrown instanceof Error ? thrown : new Error("A non-Error value was thrown", { cause: thrown });
  }
};
