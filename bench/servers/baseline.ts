/**
 * The baseline (quality.md, "the practical limit here"): a bare node:http server doing by hand the
 * work of a metadata upsert — parse JSON, one prepared better-sqlite3 `INSERT … ON CONFLICT DO UPDATE`,
 * `JSON.stringify` the row — on the same SQLite settings as idhub (WAL, synchronous=NORMAL,
 * foreign_keys, busy_timeout). No framework, no validation library, no auth, no events.
 *
 *   PUT /kv      body {reference, key, value}  → 200 {"result": {reference, key, value}}   (write baseline)
 *   GET /kv/<k>  indexed point read of a seeded row → 200 {"result": row}                  (read baseline)
 *   GET /identity/<name>  on case 4's seeded idhub file: indexed point read of identities by name
 *   GET /health  → 200
 *
 * The upsert is a plain statement without RETURNING, executed with .run(): never .get() on a
 * RETURNING statement, which leaves it open and stops WAL checkpoints (architecture.md).
 */
import { createServer } from "node:http";
import { readBody, send } from "./bare-http.js";
import { openBenchSqlite } from "./bench-sqlite.js";

const port = Number(process.env.PORT ?? 0);
const READ_ROWS = 10_000;
const READ_REFERENCE = "did:e:localhost:dids:seeded00000000000000";

const db = openBenchSqlite();
db.exec(`create table if not exists metadata (
  reference text not null,
  key text not null,
  value text not null,
  version integer not null,
  created_at integer not null,
  updated_at integer not null,
  primary key (reference, key)
)`);

const upsert = db.prepare(`insert into metadata (reference, key, value, version, created_at, updated_at)
  values (?, ?, ?, 1, ?, ?)
  on conflict (reference, key) do update set value = excluded.value, version = version + 1, updated_at = excluded.updated_at`);
const read = db.prepare("select reference, key, value, version, created_at, updated_at from metadata where reference = ? and key = ?");
// Case 4's baseline, when the file is case 4's seeded idhub database: an indexed point read of an
// identity by name (identities_name_owner_idx), the rows as JSON.
const hasIdentities = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'identities'").get() !== undefined;
const readIdentity = hasIdentities
  ? db.prepare("select twin, owner, name, validity_at, visibility from identities where name = ?")
  : undefined;

// Rows for the point-read baseline (the same 10k keys the load cycles through).
db.transaction(() => {
  const now = Date.now();
  for (let k = 0; k < READ_ROWS; k++) upsert.run(READ_REFERENCE, `k${k}`, JSON.stringify({ n: k }), now, now);
})();

const server = createServer(async (req, res) => {
  try {
    const url = req.url ?? "/";
    if (req.method === "PUT" && url === "/kv") {
      const input = JSON.parse(await readBody(req)) as { reference: string; key: string; value: unknown };
      const now = Date.now();
      upsert.run(input.reference, input.key, JSON.stringify(input.value), now, now);
      return send(res, 200, JSON.stringify({ result: { reference: input.reference, key: input.key, value: input.value } }));
    }
    if (req.method === "GET" && url.startsWith("/kv/")) {
      const row = read.get(READ_REFERENCE, decodeURIComponent(url.slice(4))) as Record<string, unknown> | undefined;
      if (!row) return send(res, 404, '{"error":"not found"}');
      return send(res, 200, JSON.stringify({ result: { ...row, value: JSON.parse(row.value as string) } }));
    }
    if (req.method === "GET" && url.startsWith("/identity/") && readIdentity) {
      const rows = readIdentity.all(decodeURIComponent(url.slice("/identity/".length)));
      return send(res, 200, JSON.stringify({ result: rows }));
    }
    if (req.method === "GET" && url === "/health") return send(res, 200, '{"isHealthy":true}');
    send(res, 404, '{"error":"not found"}');
  } catch (error) {
    send(res, 400, JSON.stringify({ error: String(error) }));
  }
});

server.listen(port, "127.0.0.1", () => {
  const address = server.address() as { port: number };
  process.send?.({ type: "ready", url: `http://127.0.0.1:${address.port}`, readReference: READ_REFERENCE });
});

process.on("SIGTERM", () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeAllConnections();
});
