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
    /** The client's address (the socket's peer, or what a trusted proxy forwarded): see client-address.ts. */
    client: string;
    /** Replaces the concrete path in the access log when the path carries a credential. */
    logPath: string | undefined;
  };
}

export type AppContext = Context<AppEnv>;

/** The client's address, for throttling failed logins (set by the clientAddress middleware). */
export const clientAddress = (c: AppContext): string => c.get("client") ?? c.env?.incoming?.socket?.remoteAddress ?? "unknown";
