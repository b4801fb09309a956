import { unauthenticated } from "../errors.js";
import type { Clock } from "../shared/ports.js";

export interface ThrottleOptions {
  /** Failed attempts allowed per client address within the window. */
  maxFailures: number;
  windowMs: number;
  /** Upper bound on tracked addresses, so a flood of addresses cannot exhaust memory. */
  maxTracked: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 20, windowMs: 60_000, maxTracked: 10_000 };

/**
 * Limits failed authentications (and PIN redemptions) per client address. Kept in process memory:
 * each server process throttles on its own, which bounds guessing at N × maxFailures per window.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
  ) {}

  /** Throws UNAUTHENTICATED when the address has used up its failures in the current window. */
  check(client: string): void {
    const entry = this.current(client);
    if (entry && entry.count >= this.options.maxFailures) {
      throw unauthenticated("auth.throttled", "Too many failed authentication attempts; try again later.");
    }
  }

  recordFailure(client: string): void {
    const entry = this.current(client);
    if (entry) entry.count += 1;
    else {
      if (this.failures.size >= this.options.maxTracked) this.prune();
      this.failures.set(client, { count: 1, since: this.clock.now() });
    }
  }

  private current(client: string) {
    const entry = this.failures.get(client);
    if (entry && this.clock.now() - entry.since >= this.options.windowMs) {
      this.failures.delete(client);
      return undefined;
    }
    return entry;
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [client, entry] of this.failures) {
      if (now - entry.since >= this.options.windowMs) this.failures.delete(client);
    }
    // Still full: forget the oldest half rather than grow without bound.
    if (this.failures.size >= this.options.maxTracked) {
      let drop = Math.ceil(this.failures.size / 2);
      for (const client of this.failures.keys()) {
        if (drop-- <= 0) break;
        this.failures.delete(client);
      }
    }
  }
}
