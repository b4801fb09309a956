import type { AccountStatus } from "@idhub/core";

/** Epoch ms → ISO 8601 (what both the human and the JSON output show). */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Left-aligned columns, two spaces apart: the human form of a list. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

/** An account as the CLI prints it in JSON. */
export const accountJson = (a: AccountStatus) => ({
  id: a.id,
  name: a.name,
  address: a.address,
  status: a.disabledAt === null ? "enabled" : "disabled",
  createdAt: iso(a.createdAt),
  disabledAt: a.disabledAt === null ? null : iso(a.disabledAt),
});
