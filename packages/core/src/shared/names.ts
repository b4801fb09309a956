import { z } from "zod";

/** Names of users and roles (Trusted Twin's rule: 2–32 characters). */
export const USER_OR_ROLE_NAME = /^[0-9A-Za-z][0-9A-Za-z_ \-]{0,30}[0-9A-Za-z]$/;
export const userOrRoleName = z.string().regex(USER_OR_ROLE_NAME, "must match ^[0-9A-Za-z][0-9A-Za-z_ \\-]{0,30}[0-9A-Za-z]$");

// Explicit letter cases rather than the /i flag: the pattern also appears in published schemas.
export const uuid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "must be a UUID");

/** Versions (twins, identities, metadata) start at 1 and are stored as 32-bit integers. */
export const MAX_VERSION = 2_147_483_647;
export const version = z.number().int().nonnegative().max(MAX_VERSION);

/** The last millisecond a JavaScript Date can hold (year 275760); later times are INVALID. */
export const MAX_EPOCH_MS = 8_640_000_000_000_000;

/**
 * A point in time in epoch milliseconds: finite, not negative, representable as a Date (and so
 * within PostgreSQL's bigint; an unbounded number would fail there as a server error).
 */
export const epochMs = z.number().finite().nonnegative().max(MAX_EPOCH_MS);
