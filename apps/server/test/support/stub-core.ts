import type { Core, Principal } from "@idhub/core";

export const STUB_PRINCIPAL: Principal = {
  account: "11111111-1111-4111-8111-111111111111",
  address: "did:e:localhost:dids:0123456789abcdef012345",
  user: "22222222-2222-4222-8222-222222222222",
  role: "33333333-3333-4333-8333-333333333333",
  statement: { effect: "deny", actions: null },
  rules: { twinRule: null, entryRule: null, identityRule: null },
  userDescription: null,
  dict: {},
};

/**
 * A core whose every secret authenticates as STUB_PRINCIPAL, with use cases replaced as a test needs:
 * for HTTP-layer tests that need no database (unexpected failures, probe routes).
 */
export function stubCore(overrides: { access?: Partial<Core["access"]>; health?: Partial<Core["health"]> } = {}): Core {
  return {
    access: { authenticate: async () => STUB_PRINCIPAL, ...overrides.access },
    health: { check: async () => ({ database: true }), ...overrides.health },
  } as unknown as Core;
}
