import { DomainError } from "../errors.js";
import type { Clock } from "../shared/ports.js";

export interface ThrottleOptions {
  /** Failed attempts allowed per client address within the window. */
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 20, windowMs: 60_000 };

/** The failures of one client address in its current window. */
export interface FailureTally {
  count: number;
  /** When the window began (epoch ms); it ends at `since + windowMs`. */
  since: number;
}

/**
 * Where failures are counted (a port). The database implementation is shared by every server
 * process, so the limit is the same with 1 or N processes behind a balancer; `add` must be atomic
 * (one upsert), since processes race on the same address.
 */
export interface FailureCounter {
  /** The tally of `client` if its window is still open at `now`. */
  current(client: string, now: number, windowMs: number): Promise<FailureTally | undefined>;
  /** Counts one failure: +1 in the open window, or 1 in a new window starting at `now`. */
  add(client: string, now: number, windowMs: number): Promise<void>;
}

/**
 * Limits failed authentications (and PIN redemptions) per client address. A refused attempt is
 * UNAUTHENTICATED `auth.throttled` with `details.retryAfterSeconds` (surfaces send Retry-After).
 */
export class LoginThrottle {
  constructor(
    private readonly clock: Clock,
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly counter: FailureCounter = new MemoryFailureCounter(),
  ) {}

  /** Throws `auth.throttled` when the address has used up its failures in the current window. */
  async check(client: string): Promise<void> {
    const now = this.clock.now();
    const tally = await this.counter.current(client, now, this.options.windowMs);
    if (tally && tally.count >= this.options.maxFailures) {
      const retryAfterSeconds = Math.max(1, Math.ceil((tally.since + this.options.windowMs - now) / 1000));
      throw new DomainError("UNAUTHENTICATED", "auth.throttled", "Too many failed authentication attempts; try again later.", {
        retryAfterSeconds,
      });
    }
  }

  recordFailure(client: string): Promise<void> {
    return this.counter.add(client, this.clock.now(), this.options.windowMs);
  }
}

/**
 * Failures kept in this process's memory: for a single process and for tests. Bounded, so a flood
 * of addresses cannot exhaust memory.
 */
export class MemoryFailureCounter implements FailureCounter {
  private readonly tallies = new Map<string, FailureTally>();

  constructor(private readonly maxTracked = 10_000) {}

  get size(): number {
    return this.tallies.size;
  }

  async current(client: string, now: number, windowMs: number): Promise<FailureTally | undefined> {
    const tally = this.tallies.get(client);
    return tally && now - tally.since < windowMs ? tally : undefined;
  }

  async add(client: string, now: number, windowMs: number): Promise<void> {
    const tally = await this.current(client, now, windowMs);
    if (tally) tally.count += 1;
    else {
      if (this.tallies.size >= this.maxTracked) this.prune(now, windowMs);
      this.tallies.set(client, { count: 1, since: now });
    }
  }

  private prune(now: number, windowMs: number): void {
    for (const [client, tally] of this.tallies) {
      if (now - tally.since >= windowMs) this.tallies.delete(client);
    }
    // Still full: forget the oldest half rather than grow without bound.
    if (this.tallies.size >= this.maxTracked) {
      let drop = Math.ceil(this.tallies.size / 2);
      for (const client of this.tallies.keys()) {
        if (drop-- <= 0) break;
        this.tallies.delete(client);
      }
    }
  }
}
