import type { CreateTwinInput, GetTwinInput, ListTwinsInput, TerminateTwinInput, UpdateTwinInput } from "@idhub/core";
import { authedProcedure as authed, input, router } from "../trpc.js";

// Thin adapters: each procedure hands the principal and the raw input to one core use case.

export const twinsRouter = router({
  create: authed.input(input<CreateTwinInput | undefined>()).mutation(({ ctx, input }) => ctx.core.twins.create(ctx.principal, input ?? {})),
  get: authed.input(input<GetTwinInput>()).query(({ ctx, input }) => ctx.core.twins.get(ctx.principal, input)),
  update: authed.input(input<UpdateTwinInput>()).mutation(({ ctx, input }) => ctx.core.twins.update(ctx.principal, input)),
  terminate: authed.input(input<TerminateTwinInput>()).mutation(({ ctx, input }) => ctx.core.twins.terminate(ctx.principal, input)),
  list: authed.input(input<ListTwinsInput | undefined>()).query(({ ctx, input }) => ctx.core.twins.list(ctx.principal, input ?? {})),
});
