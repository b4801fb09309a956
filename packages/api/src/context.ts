import type { Core, DomainError, Principal } from "@idhub/core";

/**
 * The tRPC context, typed with core interfaces only (it ends up in the SDK's bundled types).
 * The HTTP layer authenticates once for all surfaces and hands over the outcome: a principal,
 * or the DomainError that authentication failed with (bad secret, throttled, bad X-TrustedTwin).
 */
export interface Context {
  core: Core;
  principal: Principal | null;
  authError: DomainError | null;
}

/** The testable inner part: tests build it directly and use `createCaller`, no HTTP involved. */
export function createInnerContext(opts: {
  core: Core;
  principal?: Principal | null;
  authError?: DomainError | null;
}): Context {
  return { core: opts.core, principal: opts.principal ?? null, authError: opts.authError ?? null };
}
