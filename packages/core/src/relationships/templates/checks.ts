import type { CoreDeps } from "../../deps.js";
import { invalidProperty } from "../../shared/validation/index.js";
import { relationshipErrors as E } from "../errors.js";
import type { PasswordProtectionInput } from "./inputs.js";

// The template checks JSON schema cannot express, run after the schema (upstream's order).

const PIN = /^[0-9]{4,16}$/;

export function checkPin(protection: PasswordProtectionInput | undefined): void {
  if (protection?.passwordIsPin && !PIN.test(protection.password)) throw E.pinFormat();
}

/** Epoch ms of a validated ISO string (no zone = UTC, as luxon reads it with `zone: "utc"`). */
export function parseIso(text: string, field: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(text);
  let ms = Number.NaN;
  if (m) {
    const zone = m[5] === undefined || m[5] === "Z" ? "Z" : `${m[5].slice(0, 3)}:${m[5].slice(3).replace(":", "") || "00"}`;
    const fraction = (m[4] ?? "").padEnd(3, "0").slice(0, 3);
    ms = Date.parse(`${m[1]}T${m[2] ?? "00:00"}:${m[3] ?? "00"}.${fraction}${zone}`);
  }
  if (!Number.isFinite(ms)) throw invalidProperty(`${field} must match ISO8601 datetime format`);
  return ms;
}

/** `expiresAt` as epoch ms, in the future. */
export function futureTime(deps: Pick<CoreDeps, "clock">, text: string): number {
  const at = parseIso(text, "expiresAt");
  if (at <= deps.clock.now()) throw E.expiresAtInPast();
  return at;
}
