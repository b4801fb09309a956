// The twins area as other areas (identities) use it: the Twin type, the look-up and the twin rule.
export * from "./twin.js";
export type { TwinRepository, TwinListPosition, TwinListQuery } from "./repository.js";
export { findTwin, assertVersion, versionMismatch } from "./guards.js";
export { ruleContext, grants, canAccessTwin, assertTwinAccessible } from "./rule-context.js";
