import { DomainError } from "../errors.js";

/**
 * Per-account quotas (IDHUB_MAX_*), so one tenant cannot fill the disk; the identities quota also
 * bounds a twin's identity list, which no surface paginates.
 */
export interface Quotas {
  /** Twins an account owns (alive or terminated). */
  twins: number;
  /** Identities on one twin, of all accounts together (the twin's identity list). */
  identitiesPerTwin: number;
  /** Identity metadata records an account holds. */
  metadataRecords: number;
  /** Webhooks an account has (each one is a delivery loop over its events). */
  webhooks: number;
}

export const DEFAULT_QUOTAS: Quotas = {
  twins: 1_000_000,
  identitiesPerTwin: 1_000,
  metadataRecords: 1_000_000,
  webhooks: 100,
};

/** The limit of one quota for this core (configured, else the default). */
export const quotaOf = (config: { quotas?: Partial<Quotas> | undefined }, what: keyof Quotas): number =>
  config.quotas?.[what] ?? DEFAULT_QUOTAS[what];

/**
 * Refuses a write that took `used` past `limit`: TOO_LARGE `quota.<what>` (Trusted Twin
 * 400141 quota_violation, Connector 400 `error.runtime.quota.<what>`, tRPC PAYLOAD_TOO_LARGE).
 * Checked inside the writing transaction after the write (the count includes it; a refusal rolls
 * the write back). The count is kept by the database (one small read). SQLite serialises writers,
 * so the limit is exact; on PostgreSQL concurrent first writes of one account may overshoot it by
 * the writes in flight.
 */
export function withinQuota(what: keyof Quotas, used: number, limit: number): void {
  if (used > limit) {
    throw new DomainError("TOO_LARGE", `quota.${what}`, `Quota exceeded: at most ${limit} ${QUOTA_NOUNS[what]} (IDHUB_MAX_${ENV_SUFFIX[what]}).`, {
      quota: what,
      limit,
    });
  }
}

const QUOTA_NOUNS: Record<keyof Quotas, string> = {
  twins: "twins per account",
  identitiesPerTwin: "identities per twin",
  metadataRecords: "identity metadata records per account",
  webhooks: "webhooks per account",
};

/** The environment variable of each quota (read by the server's configuration). */
export const ENV_SUFFIX: Record<keyof Quotas, string> = {
  twins: "TWINS",
  identitiesPerTwin: "IDENTITIES_PER_TWIN",
  metadataRecords: "METADATA_RECORDS",
  webhooks: "WEBHOOKS",
};
