/**
 * The autocannon fallback, run as its own process by load.ts (never inside the harness or a server
 * process): reads {url, connections, seconds, spec, seed} as JSON on stdin, prints one
 * `BENCHJSON {…LoadResult}` line. Bodies come from the same templates as wrk's Lua script, with a
 * fresh value on every request.
 */
import autocannon from "autocannon";
import { renderRequest, type LoadResult, type RequestSpec } from "./load.js";

interface Input {
  url: string;
  connections: number;
  seconds: number;
  spec: RequestSpec;
  seed: number;
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Input;

let counter = 0;
const result = await autocannon({
  url: input.url,
  connections: input.connections,
  duration: input.seconds,
  requests: [
    {
      method: input.spec.method,
      headers: input.spec.headers,
      setupRequest: (request) => {
        const { path, body, headers } = renderRequest(input.spec, counter++, input.seed);
        return { ...request, path, headers, ...(body === undefined ? {} : { body }) };
      },
    },
  ],
});

const out: LoadResult = {
  tool: "autocannon",
  requests: result.requests.total,
  seconds: result.duration,
  rps: result.requests.total / result.duration,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  non2xx: result.non2xx,
  socketErrors: result.errors + result.timeouts,
  timeouts: result.timeouts,
};
process.stdout.write(`BENCHJSON ${JSON.stringify(out)}\n`);
