/** better-sqlite3's SqliteError and pg's DatabaseError both carry a `code`. */
const codeOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "code" in error ? error.code : undefined;

/**
 * A foreign-key violation on either dialect. PostgreSQL: SQLSTATE 23503. SQLite: the extended
 * code SQLITE_CONSTRAINT_FOREIGNKEY — except that an ON DELETE RESTRICT action reports
 * SQLITE_CONSTRAINT_TRIGGER (SQLite implements it like a trigger), told apart from a trigger's
 * own RAISE by its fixed message.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  if (code === "23503" || code === "SQLITE_CONSTRAINT_FOREIGNKEY") return true;
  return (
    code === "SQLITE_CONSTRAINT_TRIGGER" && error instanceof Error && error.message === "FOREIGN KEY constraint failed"
  );
}
