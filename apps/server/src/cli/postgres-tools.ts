import { postgresCommands } from "@idhub/db";
import type { Output } from "./command.js";

const INTRO = {
  backup: "PostgreSQL is backed up with its own tool; run:",
  restore: "PostgreSQL is restored with its own tool; into an empty database, run:",
};

/**
 * PostgreSQL is backed up and restored with pg_dump / pg_restore, not by idhub: on a postgres://
 * database this prints the command for it (and its schema) and returns true; on SQLite, false.
 */
export function printedPostgresCommand(databaseUrl: string, file: string, what: "backup" | "restore", out: Output): boolean {
  if (databaseUrl.startsWith("file:")) return false;
  const command = postgresCommands(databaseUrl, file)[what];
  out.result({ dialect: "postgres", command }, [INTRO[what], "", `  ${command}`]);
  return true;
}
