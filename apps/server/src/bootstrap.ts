import { chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { CreatedAccount } from "@idhub/core";
import type { Logger } from "pino";

/** Where the first-start secret is written: beside the SQLite file, else `./data/` (PostgreSQL, in-memory). */
export function bootstrapSecretPath(databaseUrl: string, cwd: string = process.cwd()): string {
  const file = sqliteFile(databaseUrl);
  return join(file ? dirname(resolve(cwd, file)) : resolve(cwd, "data"), "bootstrap-secret.txt");
}

function sqliteFile(url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  let path = url.slice("file:".length).split("?")[0]!;
  if (path.startsWith("//")) path = path.slice(2); // file:///abs/path
  return path === "" || path === ":memory:" ? undefined : path;
}

export interface Announcement {
  file: string;
  logger: Logger;
  stdout: { write(text: string): unknown };
}

/**
 * Tells the operator about the account created on first start. The secret goes to stdout once and
 * to a 0600 file — never into the structured log, which may be shipped elsewhere.
 */
export async function announceBootstrap(created: CreatedAccount, { file, logger, stdout }: Announcement): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${created.secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // writeFile's mode only applies when it creates the file
  logger.info(
    { account: created.account.id, address: created.account.address, user: created.user.id, secretFile: file },
    "first start: created an account with a Super Admin user",
  );
  stdout.write(
    [
      "",
      `First start: created account "${created.account.name}" (${created.account.address}) with a Super Admin user.`,
      `Its secret, shown once (also written to ${file}):`,
      "",
      `  ${created.secret}`,
      "",
      "",
    ].join("\n"),
  );
}
