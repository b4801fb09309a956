import { LoginThrottle } from "./access/login-throttle.js";
import { createCore } from "./create-core.js";
import type { CoreDeps } from "./deps.js";
import { systemIds } from "./shared/ids.js";
import type { Store } from "./storage.js";

/** A clock the test moves by setting `ms`. */
export interface TestClock {
  ms: number;
  now(): number;
}

/**
 * The one test wiring of core (`@idhub/core/testing`): the given store (a real test database or an
 * in-memory one), a movable clock starting 2026-01-01, real ids, addresses on `localhost`.
 * Any dependency can be replaced.
 */
export function createTestCore(store: Store, overrides: Partial<Omit<CoreDeps, "store">> = {}) {
  const clock: TestClock = { ms: Date.UTC(2026, 0, 1), now() { return this.ms; } };
  const deps: CoreDeps = {
    store,
    clock,
    ids: systemIds,
    config: { addressHost: "localhost" },
    throttle: new LoginThrottle(overrides.clock ?? clock),
    ...overrides,
  };
  return { core: createCore(deps), clock, deps };
}
