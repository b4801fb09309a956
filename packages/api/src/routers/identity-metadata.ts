import type { DeleteIdentityMetadataInput, IdentityMetadataKeyInput, ListIdentityMetadataInput, UpsertIdentityMetadataInput } from "@idhub/core";
import { authedProcedure as authed, input, router } from "../trpc.js";

// Thin adapters over core's identity-metadata use cases (which validate the raw input, the
// optional `expectedVersion` — our concurrency extension — included).

export const identityMetadataRouter = router({
  upsert: authed.input(input<UpsertIdentityMetadataInput>()).mutation(({ ctx, input }) => ctx.core.identityMetadata.upsert(ctx.principal, input)),
  get: authed.input(input<IdentityMetadataKeyInput>()).query(({ ctx, input }) => ctx.core.identityMetadata.get(ctx.principal, input)),
  delete: authed.input(input<DeleteIdentityMetadataInput>()).mutation(({ ctx, input }) => ctx.core.identityMetadata.delete(ctx.principal, input)),
  list: authed
    .input(input<ListIdentityMetadataInput | undefined>())
    .query(({ ctx, input }) => ctx.core.identityMetadata.list(ctx.principal, input ?? {})),
});
