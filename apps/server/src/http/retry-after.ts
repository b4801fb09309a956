import { isDomainError } from "@idhub/core";

/**
 * The Retry-After value (seconds) for an error that says when to come back — a throttled login
 * (`details.retryAfterSeconds`) — or undefined. Every surface sends it beside its own error.
 */
export function retryAfterOf(error: unknown): string | undefined {
  const seconds = isDomainError(error) ? error.details?.retryAfterSeconds : undefined;
  return typeof seconds === "number" ? String(seconds) : undefined;
}
