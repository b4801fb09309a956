import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Logger } from "pino";
import { bootstrapSecretPath } from "../bootstrap.js";

/**
 * The key webhook secrets are derived from. `IDHUB_WEBHOOKS_KEY` when set (every process on one
 * database must share it); otherwise a random key kept in `webhooks.key` (mode 0600) beside the
 * SQLite file, or in ./data/ — except for an in-memory database, whose webhooks die with the process
 * anyway, which gets a random key in memory. Never logged.
 */
export async function webhookKey(configured: Buffer | undefined, databaseUrl: string, logger: Logger): Promise<Buffer> {
  if (configured) return configured;
  if (databaseUrl === "file::memory:" || databaseUrl === "file::memory") return randomBytes(32);
  const file = join(dirname(bootstrapSecretPath(databaseUrl)), "webhooks.key");
  try {
    const existing = Buffer.from((await readFile(file, "utf8")).trim(), "base64");
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  await chmod(file, 0o600);
  // Another process may have won the race to create it: whatever is on disk is the key.
  const stored = Buffer.from((await readFile(file, "utf8")).trim(), "base64");
  if (databaseUrl.startsWith("postgres")) {
    logger.warn({ file }, "IDHUB_WEBHOOKS_KEY is not set: webhook secrets derive from a local key file; set the same key on every server process");
  }
  return stored;
}
