export * from "./webhook.js";
export * from "./repository.js";
export { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from "./backoff.js";
export { CONNECTOR_RELATIONSHIP_TRIGGER, matchesTypes } from "./messages.js";
export { isForbiddenAddress, checkWebhookUrl, hostOf, type TargetPolicy } from "./target.js";
export { webhookSecret } from "./secret.js";
export type { AttemptResult, NextMessages, FailureOutcome, WebhookDelivery as WebhookDeliveryUseCases } from "./delivery.js";
export type { CreateWebhookInput, UpdateWebhookInput, WebhookIdInput, ListWebhooksInput, ListDeliveriesInput, RedeliverInput } from "./webhooks.js";
