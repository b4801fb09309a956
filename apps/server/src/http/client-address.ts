import proxyAddr from "proxy-addr";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";

/**
 * Decides once per request who the client is, for failed-login throttling and the access log.
 * The socket's peer, unless that peer is one of `trustedProxies` (IDHUB_TRUSTED_PROXIES): then
 * proxy-addr walks `X-Forwarded-For` from the right, past every trusted hop, to the first address
 * a trusted proxy vouches for. With no trusted proxies (the default) the header is ignored, so a
 * client cannot pick its own address. (`Forwarded` (RFC 7239) is not read: HAProxy's
 * `option forwardfor` and nginx's `proxy_add_x_forwarded_for` both send X-Forwarded-For.)
 */
export function clientAddress(trustedProxies: readonly string[]): MiddlewareHandler<AppEnv> {
  const trust = proxyAddr.compile([...trustedProxies]);
  const direct = trustedProxies.length === 0;
  return async (c, next) => {
    const incoming = c.env?.incoming;
    let client = incoming?.socket?.remoteAddress ?? "unknown";
    if (!direct && incoming) client = proxyAddr(incoming, trust);
    c.set("client", client);
    await next();
  };
}
