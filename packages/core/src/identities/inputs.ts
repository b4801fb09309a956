import { z } from "zod";
import { epochMs, uuid, version } from "../shared/names.js";
import { identityName, type ForeignIdentity, type TwinIdentity } from "./identity.js";

// The identity use cases' inputs (zod schemas; Trusted Twin / tRPC messages) and results.

export interface NewIdentityInput {
  name: string;
  /** Epoch ms; null or absent: never expires. A past time is allowed (the identity is then expired). */
  validityAt?: number | null | undefined;
  /** A rule; null or absent: private. */
  visibility?: string | null | undefined;
}
export interface CreateIdentitiesInput {
  twin: string;
  /** 1–100 distinct names. */
  identities: NewIdentityInput[];
}
export interface CreateIdentitiesResult {
  /** In input order. */
  created: TwinIdentity[];
  /** Names the caller's account already had on the twin; left unchanged. */
  alreadyExisting: string[];
}
export interface IdentityRefInput {
  twin: string;
  name: string;
}
/** Merge patch: an absent field is unchanged, a present one (null included) replaces. */
export interface UpdateIdentityInput extends IdentityRefInput {
  validityAt?: number | null | undefined;
  visibility?: string | null | undefined;
  expectedVersion?: number | undefined;
}
export interface DeleteIdentityInput extends IdentityRefInput {
  expectedVersion?: number | undefined;
}
export interface ListIdentitiesInput {
  twin: string;
  /** Personal identities: include expired ones (default false). */
  showExpired?: boolean | undefined;
  /** Personal identities: include valid ones (default true). */
  showValid?: boolean | undefined;
  /** Personal identities: include public ones (default true). */
  showPublic?: boolean | undefined;
  /** Personal identities: include private ones (default true). */
  showPrivate?: boolean | undefined;
  /** Include the caller's account's identities (default true). */
  showPersonal?: boolean | undefined;
  /** Include other accounts' valid, public identities visible to the caller: all, or one account's (default false). */
  showForeign?: boolean | string | undefined;
}
export interface IdentityList {
  personal: TwinIdentity[];
  /** By owner account; null unless `showForeign` asked for them. */
  foreign: Record<string, ForeignIdentity[]> | null;
}

export const MAX_IDENTITIES_PER_CREATE = 100;
const validityAt = epochMs.nullable().optional();

const visibility = z.string().nullable().optional();
const newIdentity = z.strictObject({ name: identityName, validityAt, visibility });
export const createIdentitiesSchema = z.strictObject({
  twin: uuid,
  identities: z
    .array(newIdentity)
    .min(1)
    .max(MAX_IDENTITIES_PER_CREATE)
    .refine((items) => new Set(items.map((i) => i.name)).size === items.length, "names must be distinct"),
});
export const identityRefSchema = z.strictObject({ twin: uuid, name: identityName });
export const updateIdentitySchema = identityRefSchema.extend({
  validityAt,
  visibility,
  expectedVersion: version.optional(),
});
export const deleteIdentitySchema = identityRefSchema.extend({ expectedVersion: version.optional() });
export const listIdentitiesSchema = z.strictObject({
  twin: uuid,
  showExpired: z.boolean().optional(),
  showValid: z.boolean().optional(),
  showPublic: z.boolean().optional(),
  showPrivate: z.boolean().optional(),
  showPersonal: z.boolean().optional(),
  showForeign: z.union([z.boolean(), uuid]).optional(),
});
