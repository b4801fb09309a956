import type {
  CreateIdentitiesInput,
  DeleteIdentityInput,
  IdentityRefInput,
  ListIdentitiesInput,
  ResolveInput,
  UpdateIdentityInput,
} from "@idhub/core";
import { authedProcedure as authed, input, router } from "../trpc.js";

// Thin adapters: each procedure hands the principal and the raw input to one core use case.

export const identitiesRouter = router({
  create: authed.input(input<CreateIdentitiesInput>()).mutation(({ ctx, input }) => ctx.core.identities.create(ctx.principal, input)),
  list: authed.input(input<ListIdentitiesInput>()).query(({ ctx, input }) => ctx.core.identities.list(ctx.principal, input)),
  get: authed.input(input<IdentityRefInput>()).query(({ ctx, input }) => ctx.core.identities.get(ctx.principal, input)),
  update: authed.input(input<UpdateIdentityInput>()).mutation(({ ctx, input }) => ctx.core.identities.update(ctx.principal, input)),
  delete: authed.input(input<DeleteIdentityInput>()).mutation(({ ctx, input }) => ctx.core.identities.delete(ctx.principal, input)),
  resolve: authed.input(input<ResolveInput>()).query(({ ctx, input }) => ctx.core.identities.resolve(ctx.principal, input)),
});
