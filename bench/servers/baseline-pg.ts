/**
 * Case 5's baseline: a bare node:http server doing the upsert by hand on PostgreSQL — parse JSON,
 * one `INSERT … ON CONFLICT DO UPDATE` through a `pg` pool of 10 (idhub's pool size), reply with
 * the row as JSON. No framework, no validation library, no auth, no events.
 *
 *   PUT /kv      body {reference, key, value}  → 200 {"result": {reference, key, value}}
 *   GET /health  → 200
 */
import { createServer } from "node:http";
import pg from "pg";
import { readBody, send } from "./bare-http.js";

const url = process.env.BENCH_PG_DATABASE_URL;
if (!url) throw new Error("BENCH_PG_DATABASE_URL is required");
const pool = new pg.Pool({ connectionString: url, max: 10 });
pool.on("error", () => {});
await pool.query(`create table if not exists bench_metadata (
  reference text not null, key text not null, value text not null, version integer not null,
  created_at bigint not null, updated_at bigint not null, primary key (reference, key))`);
const UPSERT = {
  name: "bench-upsert",
  text: `insert into bench_metadata (reference, key, value, version, created_at, updated_at) values ($1, $2, $3, 1, $4, $4)
    on conflict (reference, key) do update set value = excluded.value, version = bench_metadata.version + 1, updated_at = excluded.updated_at`,
};

const server = createServer(async (req, res) => {
  try {
    if (req.method === "PUT" && req.url === "/kv") {
      const input = JSON.parse(await readBody(req)) as { reference: string; key: string; value: unknown };
      await pool.query({ ...UPSERT, values: [input.reference, input.key, JSON.stringify(input.value), Date.now()] });
      return send(res, 200, JSON.stringify({ result: { reference: input.reference, key: input.key, value: input.value } }));
    }
    if (req.method === "GET" && req.url === "/health") return send(res, 200, '{"isHealthy":true}');
    send(res, 404, '{"error":"not found"}');
  } catch (error) {
    send(res, 400, JSON.stringify({ error: String(error) }));
  }
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address() as { port: number };
  process.send?.({ type: "ready", url: `http://127.0.0.1:${address.port}` });
});

process.on("SIGTERM", () => {
  server.close(() => void pool.end().finally(() => process.exit(0)));
  server.closeAllConnections();
});
