import type { HttpBindings } from "@hono/node-server";
import type { DomainError, Principal } from "@idhub/core";
import type { Context } from "hono";

/** What the shared middleware leaves in the Hono context for the surfaces. */
export interface AppEnv {
  Bindings: HttpBindings;
  Variables: {
    requestId: string;
    /** `performance.now()` when the request arrived. */
    startedAt: number;
    /** Set by authentication when a secret was presented and accepted. */
    principal: Principal | undefined;
    /** Set by authentication when a secret was presented and rejected (or X-TrustedTwin was bad). */
    authError: DomainError | undefined;
    /** Replaces the concrete path in the access log when the path carries a credential. */
    logPath: string | undefined;
  };
}

export type AppContext = Context<AppEnv>;

/** The peer's address, for throttling failed logins. Only the socket is trusted, never X-Forwarded-For. */
export const clientAddress = (c: AppContext): string => c.env?.incoming?.socket?.remoteAddress ?? "unknown";
