/** Time source; epoch milliseconds. Injected so tests can move time. */
export interface Clock {
  now(): number;
}

/** Id and randomness source (UUIDs, secrets, pins); injected for deterministic tests. */
export interface Ids {
  uuid(): string;
}

export const systemClock: Clock = { now: () => Date.now() };
