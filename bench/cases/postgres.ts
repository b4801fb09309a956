/**
 * Case 5: case 1 on PostgreSQL, with one and with two server processes on one database (the
 * scale-out shape of architecture.md), all writes by one account and spread over 100 accounts (one
 * account's writes share its feed lock; 100 accounts show what a second process adds otherwise). Each variant gets a fresh database, created here and dropped
 * afterwards. With two processes the load is two generators of 25 connections each, summed; CPU per
 * request counts both server trees plus the PostgreSQL backends serving this database and the
 * cluster's shared helpers (WAL writer, checkpointer …).
 */
import pg from "pg";
import type { Side } from "../harness/measure.js";
import { accountsOf, ready, type BenchCase, type CaseContext, type Prepared } from "./common.js";
import { metadataSpec, metadataSpecOver } from "./identity-metadata.js";

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The database URL next to the admin URL, with another database name. */
function urlFor(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function preparePg(ctx: CaseContext, processes: number, accounts: number): Promise<Prepared> {
  try {
    await admin((c) => c.query("select 1"));
  } catch (error) {
    return { kind: "skip", reason: `PostgreSQL not reachable at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ":***@")}: ${(error as Error).message}` };
  }
  const database = `idhub_bench_${process.pid}_${Date.now().toString(36)}`;
  await admin((c) => c.query(`create database ${database}`));
  const cleanup = async () => {
    // The servers are stopped by the runner before cleanup; FORCE ends any straggling connection.
    await admin((c) => c.query(`drop database if exists ${database} with (force)`)).catch((error: Error) =>
      ctx.log(`  could not drop ${database}: ${error.message}`),
    );
  };
  try {
    const databaseUrl = urlFor(database);
    // One after the other: the first migrates and creates the account, the second finds both done.
    const servers = [await ctx.startIdhub({ name: `case5-pg-${processes}p-a`, databaseUrl, accounts })];
    for (let i = 1; i < processes; i++) servers.push(await ctx.startIdhub({ name: `case5-pg-${processes}p-${i}`, databaseUrl, accounts: 0 }));
    const everyone = accountsOf(servers[0]!);
    const me = everyone[0]!;
    const spec = accounts > 1 ? metadataSpecOver(everyone) : metadataSpec(me);
    const connections = Math.floor(ctx.settings.connections / processes);
    // quality.md case 5: the bare `pg` upsert server (pool 10) on the same database is the baseline.
    const bare = await ctx.startBare("case-baseline", "servers/baseline-pg.ts", { BENCH_PG_DATABASE_URL: databaseUrl });
    const baseline: Side = {
      label: "bare pg upsert (pool 10)",
      spec: { ...spec, path: "/kv", headers: { "Content-Type": "application/json" }, accounts: undefined },
      targets: [{ url: bare.url, connections: ctx.settings.connections }],
      servers: [bare],
      items: 1,
      pgDatabase: database,
    };
    return await ready(
      {
        label: `idhub ×${processes} on PostgreSQL, ${accounts} account(s)`,
        spec,
        targets: servers.map((s) => ({ url: s.url, connections })),
        servers,
        items: 1,
        pgDatabase: database,
      },
      { cleanup, baseline, notes: ["PostgreSQL CPU included (backends of this database + shared helpers), on both sides; baseline: bare pg upsert server, pool 10"] },
    );
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Case 5 with `processes` servers and writes spread over `accounts` (only 1 process has a target ratio). */
const pgCase = (name: string, title: string, processes: number, accounts: number): BenchCase => ({
  name,
  title,
  baseline: "write",
  targets: processes === 1 ? "pg" : "none",
  prepare: (ctx) => preparePg(ctx, processes, accounts),
});

export const pg1 = pgCase("5-pg-1proc", "5 case 1 on PostgreSQL, 1 process", 1, 1);
export const pg2 = pgCase("5-pg-2proc", "5 case 1 on PostgreSQL, 2 processes", 2, 1);
export const pg1Spread = pgCase("5-pg-100acct-1proc", "5 … 100 accounts, 1 process", 1, 100);
export const pg2Spread = pgCase("5-pg-100acct-2proc", "5 … 100 accounts, 2 processes", 2, 100);
