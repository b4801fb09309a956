import type { JsonValue } from "../../shared/json.js";
import type { References } from "./reference.js";

/** A relationship template as stored: one row, owned by the account that created it. */
export interface RelationshipTemplateRecord {
  /** `RLT` + 17 characters. */
  id: string;
  /** Owner account id. */
  owner: string;
  /** Owner's address (`createdBy`). */
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  /** Normalized ArbitraryRelationshipTemplateContent or RelationshipTemplateContent. */
  content: JsonValue;
  maxNumberOfAllocations: number | null;
  forIdentity: string | null;
  password: string | null;
  passwordIsPin: boolean;
  /** base64url of 32 random bytes; only inside references and token content. */
  secretKey: string;
  /** Set when the owner deleted it: hidden from the owner, no longer loadable. */
  deletedAt: number | null;
}

/** A peer template in an account's store: the loader's copy and the password it supplied. */
export interface TemplateLoad {
  template: string;
  account: string;
  password: string | null;
  createdAt: number;
}

/** A token pointing at an own template (the Connector's `TokenContentRelationshipTemplate`). */
export interface TemplateTokenRecord {
  /** `TOK` + 17 characters. */
  id: string;
  owner: string;
  createdBy: string;
  template: string;
  createdAt: number;
  expiresAt: number;
  isEphemeral: boolean;
  forIdentity: string | null;
  password: string | null;
  passwordIsPin: boolean;
  secretKey: string;
}

export interface PasswordProtection {
  password: string;
  passwordIsPin?: true;
}

/** A template as one account sees it (own, or loaded from a peer). Times in epoch ms. */
export interface RelationshipTemplate {
  id: string;
  isOwn: boolean;
  createdBy: string;
  createdByDevice: string;
  createdAt: number;
  content: JsonValue;
  expiresAt: number;
  maxNumberOfAllocations?: number;
  forIdentity?: string;
  passwordProtection?: PasswordProtection;
  /** The truncated reference (loadable on both Connector prefixes) and the 7.x URL form. */
  reference: References;
}

/** A token as its owner sees it. */
export interface RelationshipTemplateToken {
  id: string;
  isOwn: true;
  createdBy: string;
  createdByDevice: string;
  createdAt: number;
  expiresAt: number;
  isEphemeral: boolean;
  content: {
    "@type": "TokenContentRelationshipTemplate";
    templateId: string;
    secretKey: { "@type": "CryptoSecretKey"; alg: 3; key: string };
    forIdentity?: string;
    passwordProtection?: PasswordProtection;
  };
  forIdentity?: string;
  passwordProtection?: PasswordProtection;
  reference: References;
}
