import type { JsonObject } from "../shared/json.js";

export type TwinStatus = "alive" | "terminated";
export const TWIN_STATUSES = ["alive", "terminated"] as const;

/**
 * A digital twin. Any account may reach a twin by id (subject to its role's `twinRule`); only the
 * owner changes or terminates it. Identities of any account hang off it, also once terminated.
 */
export interface Twin {
  id: string;
  owner: string;
  status: TwinStatus;
  /** Public to everyone who can reach the twin; rules see it as TWIN. Keys as for user descriptions. */
  description: JsonObject | null;
  /** Account that created the twin. */
  creator: string;
  createdAt: number;
  updatedAt: number;
  terminatedAt: number | null;
  /** Account that terminated the twin. */
  terminatedBy: string | null;
  /** Bumped on every change (optimistic concurrency: `expectedVersion`, ETag/If-Match). */
  version: number;
}
