import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from "node:dns";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { hostOf, isForbiddenAddress, type AttemptResult } from "@idhub/core";

// One webhook POST, safe against SSRF: every address the request actually connects to is checked
// (the DNS answer at connect time, not the one seen when the URL was stored, so rebinding a name
// to 127.0.0.1 later gains nothing), with a hard deadline and a small cap on the response read.

export interface SendOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  /** Bytes of the response body read before the connection is cut (the body is never used). */
  maxResponseBytes: number;
  /** Name resolution (dns.lookup); tests inject names that resolve to private addresses. */
  lookup: LookupFunction;
  signal: AbortSignal;
}

export interface Outgoing {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export class RefusedAddress extends Error {
  override readonly name = "RefusedAddress";
  readonly code = "ERR_WEBHOOK_REFUSED_ADDRESS";
}

const refusal = (host: string, address: string) => new RefusedAddress(`refused: ${host} resolves to ${address}, which is not a public address`);

/** A lookup that resolves every address of the name and fails if any of them is not public. */
export function publicOnlyLookup(resolve: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true } as LookupAllOptions, ((error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const bad = addresses.find((a) => isForbiddenAddress(a.address));
      if (bad) return callback(refusal(hostname, bad.address) as NodeJS.ErrnoException, "", 0);
      if ((options as LookupOneOptions).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    }) as never);
  };
}

// Keep-alive pools: a healthy receiver is not paid a new connection (and TLS handshake) per event.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/** POSTs and reports how it went; never throws. 2xx is success, everything else a failure. */
export function send(out: Outgoing, options: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const result = (httpStatus: number | null, error: string | null): AttemptResult => ({
    httpStatus,
    error,
    durationMs: performance.now() - started,
  });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal.removeEventListener("abort", onAbort);
      resolve(r);
    };
    const url = new URL(out.url);
    const host = hostOf(url);
    // A literal address never goes through lookup: check it here.
    if (!options.allowPrivate && isIP(host) !== 0 && isForbiddenAddress(host)) {
      return finish(result(null, refusal(host, host).message));
    }
    const secure = url.protocol === "https:";
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: "POST",
      headers: { ...out.headers, "content-length": String(Buffer.byteLength(out.body)) },
      agent: secure ? agents.https : agents.http,
      ...(options.allowPrivate ? {} : { lookup: options.lookup }),
    });
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    const onAbort = () => request.destroy(new Error("delivery stopped"));
    options.signal.addEventListener("abort", onAbort);

    request.on("socket", (socket) => {
      // Belt and braces: the address actually connected to (covers any path around lookup).
      const check = () => {
        const remote = socket.remoteAddress;
        if (!options.allowPrivate && remote && isForbiddenAddress(remote)) request.destroy(refusal(host, remote));
      };
      if (socket.connecting) socket.once("connect", check);
      else check(); // a pooled keep-alive socket, checked when it was opened

    });
    request.on("error", (error) => finish(result(null, error.message)));
    request.on("response", (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const outcome = () => result(status, status >= 200 && status < 300 ? null : `HTTP ${status}`);
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > options.maxResponseBytes) {
          finish(outcome());
          response.destroy(); // do not download a huge or endless answer
        }
      });
      response.on("end", () => finish(outcome()));
      response.on("error", () => finish(outcome()));
      response.on("close", () => finish(outcome()));
    });
    request.end(out.body);
  });
}
