import { z } from "zod";
import { epochMs, uuid, version } from "../shared/names.js";
import type { InputOf } from "../shared/validation/index.js";
import { identityName, type ForeignIdentity, type TwinIdentity } from "./identity.js";

// The identity use cases' inputs (zod schemas; Trusted Twin / tRPC messages; each input type is
// read off its schema) and results.

export const MAX_IDENTITIES_PER_CREATE = 100;
/** Epoch ms; null or absent: never expires. A past time is allowed (the identity is then expired). */
const validityAt = epochMs.nullable().optional();
/** A rule; null or absent: private. */
const visibility = z.string().nullable().optional();
const newIdentity = z.strictObject({ name: identityName, validityAt, visibility });
export const createIdentitiesSchema = z.strictObject({
  twin: uuid,
  /** 1–100 distinct names. */
  identities: z
    .array(newIdentity)
    .min(1)
    .max(MAX_IDENTITIES_PER_CREATE)
    .refine((items) => new Set(items.map((i) => i.name)).size === items.length, "names must be distinct"),
});
export const identityRefSchema = z.strictObject({ twin: uuid, name: identityName });
/** Merge patch: an absent field is unchanged, a present one (null included) replaces. */
export const updateIdentitySchema = identityRefSchema.extend({
  validityAt,
  visibility,
  expectedVersion: version.optional(),
});
export const deleteIdentitySchema = identityRefSchema.extend({ expectedVersion: version.optional() });
export const listIdentitiesSchema = z.strictObject({
  twin: uuid,
  /** Personal identities: include expired ones (default false). */
  showExpired: z.boolean().optional(),
  /** Personal identities: include valid ones (default true). */
  showValid: z.boolean().optional(),
  /** Personal identities: include public ones (default true). */
  showPublic: z.boolean().optional(),
  /** Personal identities: include private ones (default true). */
  showPrivate: z.boolean().optional(),
  /** Include the caller's account's identities (default true). */
  showPersonal: z.boolean().optional(),
  /** Include other accounts' valid, public identities visible to the caller: all, or one account's (default false). */
  showForeign: z.union([z.boolean(), uuid]).optional(),
});

export type NewIdentityInput = InputOf<typeof newIdentity>;
export type CreateIdentitiesInput = InputOf<typeof createIdentitiesSchema>;
export type IdentityRefInput = InputOf<typeof identityRefSchema>;
export type UpdateIdentityInput = InputOf<typeof updateIdentitySchema>;
export type DeleteIdentityInput = InputOf<typeof deleteIdentitySchema>;
export type ListIdentitiesInput = InputOf<typeof listIdentitiesSchema>;

export interface CreateIdentitiesResult {
  /** In input order. */
  created: TwinIdentity[];
  /** Names the caller's account already had on the twin; left unchanged. */
  alreadyExisting: string[];
}
export interface IdentityList {
  personal: TwinIdentity[];
  /** By owner account; null unless `showForeign` asked for them. */
  foreign: Record<string, ForeignIdentity[]> | null;
}
