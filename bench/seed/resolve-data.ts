/**
 * Case 4's database, built with bulk inserts (not the API): 10,000 accounts, 500,000 twins (50 per
 * account) and 1,000,000 identities (2 per twin, owned by the twin's account), 30 % of them public
 * with a visibility rule. The schema is idhub's own (its migrations run first), so the server
 * under test opens the file as it is.
 *
 * Names: twin t carries `SN#<t>` and `RFID#<t>`. Whether an identity is public, and which rule it
 * carries, is a fixed hash of its number, so any range of names (the load asks for SN#0 … SN#9999)
 * hits public and private identities in the seeded proportions. The rules read the twin's description and the
 * identity's name, so evaluating them is real work:
 *   `true`, `TWIN.kind == 'pallet'`, `TWIN.zone in ['a', 'b']` (each a third of the public ones).
 *
 * One transaction, prepared statements, synchronous=OFF and indexes present from the migrations:
 * about 10–20 s on a quiet 2-core machine (quality.md: well under 2 minutes). The usage-counter
 * triggers (migration 0010) are dropped for the bulk insert and recreated from their own SQL after
 * it; the counters are then filled with one grouped insert per counted table, the same statement
 * the migration runs on existing rows, so the file holds what 1.5M trigger upserts would have left.
 *
 *   tsx bench/seed/resolve-data.ts <sqlite file>     (also used in-process by cases/resolve.ts)
 */
import { createHash } from "node:crypto";
import { openDatabase } from "@idhub/db";
import Database from "better-sqlite3";

export const ACCOUNTS = 10_000;
export const TWINS = 500_000;
export const IDENTITIES = 2 * TWINS;
const TWINS_PER_ACCOUNT = TWINS / ACCOUNTS;
const RULES = ["true", "TWIN.kind == 'pallet'", "TWIN.zone in ['a', 'b']"];
const KINDS = ["pallet", "box"];
const ZONES = ["a", "b", "c", "d"];

/** Deterministic 32-bit hash of a number (spreads the public identities over the names). */
const mix = (n: number) => {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
};

/** Identity number i (0 … IDENTITIES-1): twin i >> 1, name SN# for even, RFID# for odd. */
const identityName = (i: number) => `${i % 2 === 0 ? "SN" : "RFID"}#${i >> 1}`;
const visibilityOf = (i: number): string | null => {
  const h = mix(i);
  return h % 100 < 30 ? RULES[(h >>> 8) % RULES.length]! : null;
};

const uuidOf = (kind: string, n: number) => {
  const h = createHash("sha1").update(`${kind}:${n}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export interface SeedResult {
  ms: number;
  accounts: number;
  twins: number;
  identities: number;
  publicIdentities: number;
}

export async function seedResolveData(file: string): Promise<SeedResult> {
  const startedAt = performance.now();
  const idhub = await openDatabase(`file:${file}`);
  await idhub.migrate();
  await idhub.close();

  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -65536"); // 64 MB while building the indexes; the server uses its own default
  const now = Date.now();
  const insertAccount = db.prepare(
    "insert into accounts (id, name, address, public_key, private_key, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const insertTwin = db.prepare(
    "insert into twins (id, owner, status, description, creator, created_at, updated_at, terminated_at, terminated_by, version) " +
      "values (?, ?, 'alive', ?, ?, ?, ?, null, null, 1)",
  );
  const insertIdentity = db.prepare(
    "insert into identities (twin, owner, name, validity_at, visibility, creator, created_at, updated_at, version) " +
      "values (?, ?, ?, null, ?, ?, ?, ?, 1)",
  );
  let publicIdentities = 0;
  db.transaction(() => {
    const triggers = db.prepare("select name, sql from sqlite_master where type = 'trigger'").all() as { name: string; sql: string }[];
    for (const { name } of triggers) db.exec(`drop trigger "${name}"`);
    const accounts: string[] = [];
    for (let a = 0; a < ACCOUNTS; a++) {
      const id = uuidOf("account", a);
      accounts.push(id);
      const address = `did:e:localhost:dids:${createHash("sha256").update(id).digest("hex").slice(0, 22)}`;
      insertAccount.run(id, `seed ${a}`, address, Buffer.from(id).toString("base64url"), Buffer.from(`private ${id}`).toString("base64"), now, now);
    }
    for (let t = 0; t < TWINS; t++) {
      const owner = accounts[Math.floor(t / TWINS_PER_ACCOUNT)]!;
      const twin = uuidOf("twin", t);
      const creator = uuidOf("user", Math.floor(t / TWINS_PER_ACCOUNT));
      const description = JSON.stringify({ kind: KINDS[t % KINDS.length], zone: ZONES[mix(t) % ZONES.length] });
      insertTwin.run(twin, owner, description, creator, now, now);
      for (const i of [2 * t, 2 * t + 1]) {
        const visibility = visibilityOf(i);
        if (visibility !== null) publicIdentities++;
        insertIdentity.run(twin, owner, identityName(i), visibility, creator, now, now);
      }
    }
    fillUsageCounters(db);
    for (const { sql } of triggers) db.exec(sql);
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.exec("analyze");
  db.close();
  return { ms: performance.now() - startedAt, accounts: ACCOUNTS, twins: TWINS, identities: IDENTITIES, publicIdentities };
}

/** Migration 0010's counters of the seeded rows (no identity metadata is seeded: no rows for it). */
function fillUsageCounters(db: Database.Database): void {
  db.exec("delete from usage_counters");
  for (const [quota, table, scope] of [["twins", "twins", "owner"], ["identitiesPerTwin", "identities", "twin"]] as const) {
    db.prepare(`insert into usage_counters (quota, scope, shard, used) select ?, ${scope}, 0, count(*) from ${table} group by ${scope}`).run(quota);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: tsx bench/seed/resolve-data.ts <sqlite file>");
  const result = await seedResolveData(file);
  console.log(JSON.stringify(result));
}
