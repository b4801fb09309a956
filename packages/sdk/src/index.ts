import type { AppRouter } from "@idhub/api";
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
  type TRPCClient,
} from "@trpc/client";
import { EventSource } from "eventsource";

export type { AppRouter };
export type IdhubClient = TRPCClient<AppRouter>;

export interface ClientOptions {
  /** Base URL of the idhub server, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** A user secret (API key). */
  apiKey?: string;
  /** Optional `X-TrustedTwin` dictionary, visible to rules as DICT. */
  dict?: Record<string, unknown>;
  /** Batch concurrent calls into one HTTP request (default true). */
  batch?: boolean;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof fetch;
}

/**
 * A typed client: `client.access.whoami.query()`, `client.access.users.create.mutate({...})`, …
 *
 * Subscriptions (`client.events.subscribe.subscribe({ after }, { onData })`) run over Server-Sent
 * Events with the same headers. The `eventsource` package is used in every runtime: Node 20 has
 * no global EventSource, and a browser's cannot send headers — the secret must never go into the
 * URL, where proxies and access logs would keep it. The stream reconnects by itself and resumes
 * after the last event received.
 */
export function createClient(options: ClientOptions): IdhubClient {
  const headers: Record<string, string> = {};
  if (options.apiKey) headers["authorization"] = options.apiKey;
  if (options.dict) headers["x-trustedtwin"] = base64(JSON.stringify(options.dict));
  const url = `${options.url.replace(/\/+$/, "")}/trpc`;
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const linkOptions = { url, headers, ...(options.fetch ? { fetch: options.fetch } : {}) };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => fetchImpl(input, { ...init, headers: { ...init?.headers, ...headers } }),
          },
        }),
        false: options.batch === false ? httpLink(linkOptions) : httpBatchLink(linkOptions),
      }),
    ],
  });
}

/** UTF-8 → base64 without Node's Buffer, so the SDK also runs in browsers. */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}


/** The stable domain error code of a failed call (e.g. `access.role.inUse`), if it carried one. */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = error.data as { domain?: { code?: string } | null } | undefined;
  return data?.domain?.code ?? undefined;
}

export { TRPCClientError };
