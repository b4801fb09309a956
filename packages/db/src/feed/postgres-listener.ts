import type { Kysely } from "kysely";
import pg from "pg";
import type { DB } from "../schema.js";
import { FEED_CHANNEL_EXPRESSION } from "../repositories/events.js";
import type { LocalFeed } from "./local-feed.js";

export interface ListenerOptions {
  /** How often the catch-up read checks the watched accounts' feeds (default 1 s). */
  catchUpMs?: number;
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;
/** Accounts per catch-up query (well within PostgreSQL's parameter limit). */
const CATCH_UP_CHUNK = 1_000;

/**
 * One LISTEN connection per process for the feed channel (the NOTIFY rides on every events
 * append, repositories/events.ts). A notification only wakes the payload account's watchers; the
 * events table stays the truth. Notifications sent while the connection is down are lost, so:
 * - after every (re)connect everyone is woken once (they re-read from their cursors), and
 * - a periodic catch-up read compares each watched account's newest seq with the last one seen
 *   and wakes the accounts that grew. Within an account seq order is commit order (the append
 *   locks the account row), so a grown feed always shows as a higher max(seq).
 */
export function listenPostgres(config: pg.ClientConfig, db: Kysely<DB>, options: ListenerOptions = {}) {
  return (feed: LocalFeed): (() => void) => {
    let client: pg.Client | undefined;
    let stopped = false;
    let delay = RECONNECT_MIN_MS;
    let retry: NodeJS.Timeout | undefined;
    const heads = new Map<string, number>();

    const connect = async () => {
      const next = new pg.Client(config);
      client = next;
      next.on("notification", (message) => {
        if (message.payload) feed.committed([message.payload]);
      });
      next.on("error", () => reconnect(next));
      next.on("end", () => reconnect(next));
      try {
        await next.connect();
        const { rows } = await next.query<{ channel: string }>(`select ${FEED_CHANNEL_EXPRESSION} as channel`);
        await next.query(`LISTEN ${quoteIdent(rows[0]!.channel)}`);
        if (stopped) return void next.end().catch(() => undefined);
        delay = RECONNECT_MIN_MS;
        feed.unknownCommits();
      } catch {
        reconnect(next);
      }
    };

    const reconnect = (failed: pg.Client) => {
      if (stopped || client !== failed || retry) return;
      failed.removeAllListeners("notification");
      failed.end().catch(() => undefined);
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, delay);
      retry.unref();
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    };

    let catchingUp = false;
    const catchUp = async () => {
      const accounts = feed.watchedAccounts();
      const grown: string[] = [];
      for (let i = 0; i < accounts.length; i += CATCH_UP_CHUNK) {
        const rows = await db
          .selectFrom("events")
          .select(["account", (eb) => eb.fn.max("seq").as("head")])
          .where("account", "in", accounts.slice(i, i + CATCH_UP_CHUNK))
          .groupBy("account")
          .execute();
        for (const row of rows) {
          const head = Number(row.head);
          if (heads.get(row.account) !== head) grown.push(row.account);
          heads.set(row.account, head);
        }
      }
      const watched = new Set(accounts);
      for (const account of heads.keys()) if (!watched.has(account)) heads.delete(account);
      if (grown.length > 0) feed.committed(grown);
    };
    const timer = setInterval(() => {
      if (catchingUp) return;
      catchingUp = true;
      catchUp().catch(() => undefined).finally(() => (catchingUp = false));
    }, options.catchUpMs ?? 1_000);
    timer.unref();

    void connect();
    return () => {
      stopped = true;
      clearInterval(timer);
      if (retry) clearTimeout(retry);
      client?.end().catch(() => undefined);
    };
  };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
