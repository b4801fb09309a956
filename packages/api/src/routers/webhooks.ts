import type { CreateWebhookInput, ListDeliveriesInput, ListWebhooksInput, RedeliverInput, UpdateWebhookInput, WebhookIdInput } from "@idhub/core";
import { authedProcedure as authed, input, router } from "../trpc.js";

// Thin adapters over core's webhook use cases (which validate the raw input and check actions).
export const webhooksRouter = router({
  create: authed.input(input<CreateWebhookInput>()).mutation(({ ctx, input }) => ctx.core.webhooks.create(ctx.principal, input)),
  list: authed.input(input<ListWebhooksInput | undefined>()).query(({ ctx, input }) => ctx.core.webhooks.list(ctx.principal, input ?? {})),
  get: authed.input(input<WebhookIdInput>()).query(({ ctx, input }) => ctx.core.webhooks.get(ctx.principal, input)),
  update: authed.input(input<UpdateWebhookInput>()).mutation(({ ctx, input }) => ctx.core.webhooks.update(ctx.principal, input)),
  delete: authed.input(input<WebhookIdInput>()).mutation(({ ctx, input }) => ctx.core.webhooks.delete(ctx.principal, input)),
  deliveries: authed.input(input<ListDeliveriesInput>()).query(({ ctx, input }) => ctx.core.webhooks.deliveries(ctx.principal, input)),
  redeliver: authed.input(input<RedeliverInput>()).mutation(({ ctx, input }) => ctx.core.webhooks.redeliver(ctx.principal, input)),
  rotateSecret: authed.input(input<WebhookIdInput>()).mutation(({ ctx, input }) => ctx.core.webhooks.rotateSecret(ctx.principal, input)),
});
