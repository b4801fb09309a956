import type {
  CanCreateRelationshipInput,
  CreateRelationshipInput,
  GetRelationshipInput,
  ListRelationshipsInput,
  RelationshipIdInput,
} from "@idhub/core";
import { authedProcedure as authed, input, router } from "../trpc.js";

// Thin adapters over core's relationship use cases (which validate the raw input).

const byId = input<RelationshipIdInput>();

export const relationshipsRouter = router({
  create: authed
    .input(input<CreateRelationshipInput>())
    .mutation(({ ctx, input }) => ctx.core.relationships.create(ctx.principal, input)),
  get: authed.input(input<GetRelationshipInput>()).query(({ ctx, input }) => ctx.core.relationships.get(ctx.principal, input)),
  list: authed
    .input(input<ListRelationshipsInput | undefined>())
    .query(({ ctx, input }) => ctx.core.relationships.list(ctx.principal, input ?? {})),
  canCreate: authed
    .input(input<CanCreateRelationshipInput>())
    .query(({ ctx, input }) => ctx.core.relationships.canCreate(ctx.principal, input)),
  accept: authed.input(byId).mutation(({ ctx, input }) => ctx.core.relationships.accept(ctx.principal, input)),
  reject: authed.input(byId).mutation(({ ctx, input }) => ctx.core.relationships.reject(ctx.principal, input)),
  revoke: authed.input(byId).mutation(({ ctx, input }) => ctx.core.relationships.revoke(ctx.principal, input)),
  terminate: authed.input(byId).mutation(({ ctx, input }) => ctx.core.relationships.terminate(ctx.principal, input)),
  reactivate: authed.input(byId).mutation(({ ctx, input }) => ctx.core.relationships.reactivate(ctx.principal, input)),
  acceptReactivation: authed
    .input(byId)
    .mutation(({ ctx, input }) => ctx.core.relationships.acceptReactivation(ctx.principal, input)),
  rejectReactivation: authed
    .input(byId)
    .mutation(({ ctx, input }) => ctx.core.relationships.rejectReactivation(ctx.principal, input)),
  revokeReactivation: authed
    .input(byId)
    .mutation(({ ctx, input }) => ctx.core.relationships.revokeReactivation(ctx.principal, input)),
  decompose: authed.input(byId).mutation(({ ctx, input }) => ctx.core.relationships.decompose(ctx.principal, input)),
});
