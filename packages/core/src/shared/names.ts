import { z } from "zod";

/** Names of users and roles (Trusted Twin's rule: 2–32 characters). */
export const USER_OR_ROLE_NAME = /^[0-9A-Za-z][0-9A-Za-z_ \-]{0,30}[0-9A-Za-z]$/;
export const userOrRoleName = z.string().regex(USER_OR_ROLE_NAME, "must match ^[0-9A-Za-z][0-9A-Za-z_ \\-]{0,30}[0-9A-Za-z]$");

export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a UUID");

/** A point in time in epoch milliseconds: finite, not negative. */
export const epochMs = z.number().finite().nonnegative();
