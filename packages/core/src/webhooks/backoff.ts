/** Retry timing of the delivery worker; tests shrink it so no suite waits minutes. */
export interface RetryPolicy {
  /** First retry after about this long (default 1 s)… */
  minBackoffMs: number;
  /** …doubling up to this (default 1 h). */
  maxBackoffMs: number;
  /** Failing this long without a success disables the webhook (default 24 h). */
  disableAfterMs: number;
  /** How long a claim on a webhook lasts unless renewed; a dead holder's claim expires after it. */
  leaseMs: number;
  /** Uniform in [0, 1); injected for tests. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  minBackoffMs: 1_000,
  maxBackoffMs: 3_600_000,
  disableAfterMs: 24 * 3_600_000,
  leaseMs: 30_000,
  random: Math.random,
};

/**
 * Delay before attempt `failures + 1`: exponential (min · 2^(failures−1)), capped, with ±25 %
 * jitter so receivers recovering from an outage are not hit by every webhook at the same instant;
 * always within [min, max].
 */
export function retryDelay(failures: number, policy: Pick<RetryPolicy, "minBackoffMs" | "maxBackoffMs" | "random">): number {
  const exponential = policy.minBackoffMs * 2 ** Math.min(Math.max(failures - 1, 0), 40);
  const jittered = Math.min(exponential, policy.maxBackoffMs) * (0.75 + 0.5 * policy.random());
  return Math.round(Math.min(Math.max(jittered, policy.minBackoffMs), policy.maxBackoffMs));
}
