import { metrics } from "@idhub/core";

/**
 * Transient conflicts between concurrent transactions — other processes on the same database —
 * that the same transaction, run again, gets past: SQLite's SQLITE_BUSY (the write lock stayed
 * taken past busy_timeout), PostgreSQL's serialization failure (40001) and deadlock (40P01).
 * None of them may reach a client (quality.md), so the store retries the whole transaction a
 * bounded number of times with a short random pause; past that the error surfaces as an
 * unexpected one (500), which means the database is overloaded, not that the request was wrong.
 */
const TRANSIENT_CODES = new Set(["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_LOCKED", "40001", "40P01"]);

export const MAX_ATTEMPTS = 5;

export function isTransientConflict(error: unknown): boolean {
  const code = typeof error === "object" && error !== null && "code" in error ? (error as { code: unknown }).code : undefined;
  return typeof code === "string" && TRANSIENT_CODES.has(code);
}

export async function retryingTransient<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= MAX_ATTEMPTS || !isTransientConflict(error)) throw error;
      metrics.dbRetry();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** n));
    }
  }
}
