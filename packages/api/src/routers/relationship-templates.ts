import type {
  CreateRelationshipTemplateInput,
  CreateTemplateTokenInput,
  DeleteRelationshipTemplateInput,
  GetRelationshipTemplateInput,
  ListRelationshipTemplatesInput,
  LoadRelationshipTemplateInput,
} from "@idhub/core";
import { authedProcedure as authed, input, router } from "../trpc.js";

// Thin adapters over core's relationship-template use cases (which validate the raw input).

export const relationshipTemplatesRouter = router({
  create: authed
    .input(input<CreateRelationshipTemplateInput>())
    .mutation(({ ctx, input }) => ctx.core.relationshipTemplates.create(ctx.principal, input)),
  get: authed
    .input(input<GetRelationshipTemplateInput>())
    .query(({ ctx, input }) => ctx.core.relationshipTemplates.get(ctx.principal, input)),
  list: authed
    .input(input<ListRelationshipTemplatesInput | undefined>())
    .query(({ ctx, input }) => ctx.core.relationshipTemplates.list(ctx.principal, input ?? {})),
  load: authed
    .input(input<LoadRelationshipTemplateInput>())
    .mutation(({ ctx, input }) => ctx.core.relationshipTemplates.load(ctx.principal, input)),
  createToken: authed
    .input(input<CreateTemplateTokenInput>())
    .mutation(({ ctx, input }) => ctx.core.relationshipTemplates.createToken(ctx.principal, input)),
  delete: authed
    .input(input<DeleteRelationshipTemplateInput>())
    .mutation(({ ctx, input }) => ctx.core.relationshipTemplates.delete(ctx.principal, input)),
});
