import { z } from "zod";

/** Trusted Twin's identity names: a 1–8 character prefix, `#`, then 1–128 characters. */
export const IDENTITY_NAME = /^[A-Za-z_][0-9A-Za-z_]{0,7}#[0-9A-Za-z_=+-]{1,128}$/;
export const identityName = z
  .string()
  .regex(IDENTITY_NAME, "must match ^[A-Za-z_][0-9A-Za-z_]{0,7}#[0-9A-Za-z_=+-]{1,128}$");

/** Key: (twin, owner account, name). Several accounts may attach the same name to one twin. */
export interface IdentityKey {
  twin: string;
  owner: string;
  name: string;
}

export interface TwinIdentity extends IdentityKey {
  /** Null: never expires. Expired when `validityAt <= now` (epoch ms). */
  validityAt: number | null;
  /** Null: private. Otherwise a rule deciding which callers of other accounts see it. */
  visibility: string | null;
  /** Account that created it (always the owner). */
  creator: string;
  createdAt: number;
  updatedAt: number;
  /** Bumped on every update. */
  version: number;
}

/** Another account's identity as a caller who may see it gets it: never its rule text. */
export interface ForeignIdentity {
  name: string;
  validityAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export const isExpired = (identity: Pick<TwinIdentity, "validityAt">, now: number): boolean =>
  identity.validityAt !== null && identity.validityAt <= now;
