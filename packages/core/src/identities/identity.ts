import { z } from "zod";

/** Trusted Twin's identity names: a 1–8 character prefix, `#`, then 1–128 characters. */
export const IDENTITY_NAME = /^[A-Za-z_][0-9A-Za-z_]{0,7}#[0-9A-Za-z_=+-]{1,128}$/;
/** What a name that does not match is told: the pattern's text. */
export const IDENTITY_NAME_MESSAGE = `must match ${IDENTITY_NAME.source}`;
// The REST route schemas build their copy from these two constants (a schema of ours cannot be
// shared with them: see apps/server/src/trustedtwin/routes/identities.ts).
export const identityName = z.string().regex(IDENTITY_NAME, IDENTITY_NAME_MESSAGE);

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
