import type { IdentityMetadataKeyInput, ListIdentityMetadataInput, UpsertIdentityMetadataInput, VersionOptions } from "@idhub/core";
import { authedProcedure as authed, input, router } from "../trpc.js";

// Thin adapters over core's identity-metadata use cases (which validate the raw input). The
// optional `expectedVersion` is our concurrency extension; core takes it apart from the record.

/** Splits `expectedVersion` off a plain-object input; anything else goes to core as is (to be rejected there). */
function splitVersion<T>(input: T & VersionOptions): [T, VersionOptions] {
  if (typeof input !== "object" || input === null || Array.isArray(input) || !("expectedVersion" in input)) return [input, {}];
  const { expectedVersion, ...rest } = input;
  return [rest as T, { expectedVersion }];
}

export const identityMetadataRouter = router({
  upsert: authed
    .input(input<UpsertIdentityMetadataInput & VersionOptions>())
    .mutation(({ ctx, input }) => ctx.core.identityMetadata.upsert(ctx.principal, ...splitVersion(input))),
  get: authed.input(input<IdentityMetadataKeyInput>()).query(({ ctx, input }) => ctx.core.identityMetadata.get(ctx.principal, input)),
  delete: authed
    .input(input<IdentityMetadataKeyInput & VersionOptions>())
    .mutation(({ ctx, input }) => ctx.core.identityMetadata.delete(ctx.principal, ...splitVersion(input))),
  list: authed
    .input(input<ListIdentityMetadataInput | undefined>())
    .query(({ ctx, input }) => ctx.core.identityMetadata.list(ctx.principal, input ?? {})),
});
