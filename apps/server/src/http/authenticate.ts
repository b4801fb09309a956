import { isDomainError, metrics, type Core } from "@idhub/core";
import type { MiddlewareHandler } from "hono";
import { clientAddress, type AppEnv } from "./env.js";

/** The secret from `Authorization: <secret>`, `Authorization: Bearer <secret>` or `X-API-KEY`. */
export function presentedSecret(authorization: string | undefined, apiKey: string | undefined): string | undefined {
  const fromAuthorization = authorization?.trim().replace(/^Bearer\s+/i, "");
  if (fromAuthorization) return fromAuthorization;
  return apiKey?.trim() || undefined;
}

/**
 * The one authentication step in front of every surface. It never answers by itself: it leaves the
 * principal, or the DomainError authentication failed with, in the context, and each surface renders
 * its own 401 when a route needs a principal. No secret means neither is set.
 */
export function authenticate(core: Core): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const secret = presentedSecret(c.req.header("authorization"), c.req.header("x-api-key"));
    if (secret !== undefined) {
      try {
        const dictHeader = c.req.header("x-trustedtwin");
        c.set("principal", await core.access.authenticate({ secret, dictHeader, client: clientAddress(c) }));
      } catch (error) {
        if (!isDomainError(error)) throw error;
        if (error.kind === "UNAUTHENTICATED") metrics.login(error.code === "auth.throttled" ? "throttled" : "failure");
        c.set("authError", error);
      }
    }
    await next();
  };
}
