/**
 * The peer (quality.md, "what a typical tRPC service does"): the same upsert as the baseline behind
 * stock tRPC — `@trpc/server/adapters/standalone` + a zod input schema — with nothing else: no auth,
 * no permission check, no events. Same SQLite settings as the baseline. The value is `z.unknown()`
 * and serialized with JSON.stringify, as idhub does (`z.json()`'s recursive check would make the
 * peer slower, and "× peer" flattering).
 *
 *   POST /identityMetadata.upsert   body {reference, key, value}  → tRPC's {"result":{"data":…}}
 *   GET  /health                    → 200 (the harness's readiness poll; answered before tRPC)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { initTRPC } from "@trpc/server";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { z } from "zod";
import { openBenchSqlite } from "./bench-sqlite.js";


const db = openBenchSqlite();
db.exec(`create table if not exists metadata (
  reference text not null, key text not null, value text not null, version integer not null,
  created_at integer not null, updated_at integer not null, primary key (reference, key))`);
const upsert = db.prepare(`insert into metadata (reference, key, value, version, created_at, updated_at)
  values (?, ?, ?, 1, ?, ?)
  on conflict (reference, key) do update set value = excluded.value, version = version + 1, updated_at = excluded.updated_at`);

const t = initTRPC.create();
const router = t.router({
  identityMetadata: t.router({
    upsert: t.procedure
      .input(z.object({ reference: z.string(), key: z.string(), value: z.unknown() }))
      .mutation(({ input }) => {
        const now = Date.now();
        upsert.run(input.reference, input.key, JSON.stringify(input.value), now, now);
        return { reference: input.reference, key: input.key, value: input.value };
      }),
  }),
});

const health = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
  if (req.url === "/health") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"isHealthy":true}');
    return;
  }
  next();
};

const server = createHTTPServer({ router, middleware: health });
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1");
server.on("listening", () => {
  const address = server.address() as { port: number };
  process.send?.({ type: "ready", url: `http://127.0.0.1:${address.port}` });
});

process.on("SIGTERM", () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeAllConnections();
});
