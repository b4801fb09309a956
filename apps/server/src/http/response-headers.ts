import type { AppContext } from "./env.js";

/**
 * Sets a response header the cheap way. Behind @hono/node-server the header goes straight onto the
 * node `ServerResponse`, which merges it into the `writeHead` the adapter does when it answers;
 * `c.header()` would instead build a WHATWG `Headers` object (undici validates every name and
 * value) and force the adapter off its plain-object fast path — measured as ~8 % of a small
 * write's CPU. Without a node response (e.g. `app.request()` in tests) it falls back to `c.header()`.
 */
export function setResponseHeader(c: AppContext, name: string, value: string): void {
  const outgoing = c.env?.outgoing;
  if (outgoing && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
}
