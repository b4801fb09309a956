import { randomUUID } from "node:crypto";
import type { LookupFunction } from "node:net";
import { DEFAULT_RETRY_POLICY, metrics, type AttemptResult, type Core, type RetryPolicy, type StoredWebhook, type WebhookMessage } from "@idhub/core";
import type { Logger } from "pino";
import type { WebhookConfig } from "./config.js";
import { payloadOf, signedHeaders } from "./payload.js";
import { publicOnlyLookup, send } from "./send.js";

/** One attempt's outcome, for counting (metrics) and tests; no secrets, no bodies. */
export interface DeliveryAttempt {
  webhook: string;
  account: string;
  messageId: string;
  trigger: string;
  seq: number;
  outcome: "delivered" | "failed" | "disabled";
  httpStatus: number | null;
  durationMs: number;
}

export interface WorkerOptions {
  core: Core;
  logger: Logger;
  config: WebhookConfig;
  /** Name resolution for outgoing requests (default dns.lookup); every answer is checked. */
  resolve?: LookupFunction;
  onAttempt?: (attempt: DeliveryAttempt) => void;
}

const MAX_RESPONSE_BYTES = 4096;
const PRUNE_EVERY_MS = 3_600_000;
const MIN_TICK_GAP_MS = 20;
const KEEP_DELIVERIES_MS = 7 * 24 * 3_600_000;

/**
 * Delivers webhooks from the outbox. Each tick claims (leases) due webhooks up to the free
 * concurrency slots; each claimed webhook is delivered by its own loop, one message at a time in
 * seq order, so a slow receiver holds only its own slot. A lease heartbeat keeps the claim while
 * a request is in flight; losing it (another process took over after a stall) aborts the request.
 * Wake-ups: the change feed's signal (commits here at once, other processes' within about a
 * second), a freed slot, and the periodic catch-up poll (IDHUB_WEBHOOKS_POLL_MS) regardless.
 */
export class WebhookWorker {
  readonly owner = randomUUID();
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly policy: RetryPolicy;
  private readonly lookup: LookupFunction;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private tickAgain = false;
  private stopped = true;
  private lastPrune = 0;
  private lastTick = 0;
  private unwatch: () => void = () => {};

  constructor(private readonly options: WorkerOptions) {
    const c = options.config;
    this.policy = {
      ...DEFAULT_RETRY_POLICY,
      minBackoffMs: c.minBackoffMs,
      maxBackoffMs: c.maxBackoffMs,
      disableAfterMs: c.disableAfterMs,
      leaseMs: c.leaseMs,
    };
    this.lookup = publicOnlyLookup(options.resolve);
  }

  start(): void {
    this.stopped = false;
    this.unwatch = this.options.core.webhookDelivery.onNewEvents(() => this.wake());
    this.schedule(0);
  }

  /**
   * Look for work soon (events were written, or a slot freed). Cheap to call often: wake-ups within
   * MIN_TICK_GAP_MS of the last look share one claim query, so a write burst is not a query storm.
   */
  wake(): void {
    if (!this.stopped) this.schedule(Math.max(0, this.lastTick + MIN_TICK_GAP_MS - Date.now()));
  }

  /** Stops claiming, aborts requests in flight (their messages are resent later with the same ids) and gives the leases back. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch();
    clearTimeout(this.timer);
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    this.lastTick = Date.now();
    try {
      const free = this.options.config.concurrency - this.running.size;
      const claimed = await this.options.core.webhookDelivery.claim(this.owner, free, this.policy);
      for (const webhook of claimed) this.launch(webhook);
      await this.pruneNow();
    } catch (error) {
      if (!this.stopped) this.options.logger.error({ err: error }, "webhook delivery: claiming failed");
    } finally {
      this.ticking = false;
      if (!this.stopped) this.schedule(this.tickAgain ? 0 : this.options.config.pollMs);
      this.tickAgain = false;
    }
  }

  private launch(webhook: StoredWebhook): void {
    const abort = new AbortController();
    const done = this.deliver(webhook, abort)
      .catch((error) => {
        if (!this.stopped) this.options.logger.error({ err: error, webhook: webhook.id }, "webhook delivery failed unexpectedly");
      })
      .finally(async () => {
        await this.options.core.webhookDelivery.release(webhook.id, this.owner).catch(() => undefined);
        this.running.delete(webhook.id);
        this.wake(); // a slot is free
      });
    this.running.set(webhook.id, { abort, done });
  }

  /** Delivers a leased webhook's pending messages in order until it is caught up, fails, or loses the lease. */
  private async deliver(leased: StoredWebhook, abort: AbortController): Promise<void> {
    const delivery = this.options.core.webhookDelivery;
    const heartbeat = setInterval(() => {
      delivery.renew(leased.id, this.owner, this.policy).then(
        (held) => held || abort.abort(),
        () => undefined, // a failed renewal is retried at the next beat; the lease outlasts several
      );
    }, Math.max(50, Math.floor(this.policy.leaseMs / 3)));
    try {
      while (!abort.signal.aborted) {
        const next = await delivery.next(leased.id, this.owner);
        if (!next || next.messages.length === 0) return;
        for (const message of next.messages) {
          if (abort.signal.aborted) return;
          const result = await this.attempt(next.webhook.url, next.secret, message, abort.signal);
          if (abort.signal.aborted) return; // stopping or lost: not recorded, resent later with the same id
          const ok = result.httpStatus !== null && result.httpStatus >= 200 && result.httpStatus < 300;
          if (ok) {
            if (!(await delivery.delivered(leased.id, this.owner, message, result, this.policy))) return;
            this.report(next.webhook, message, "delivered", result);
            continue;
          }
          const failure = await delivery.failed(leased.id, this.owner, message, result, this.policy);
          if (failure.kind === "lost") return;
          this.report(next.webhook, message, failure.kind === "disabled" ? "disabled" : "failed", result);
          if (failure.kind === "disabled") this.options.logger.warn({ webhook: leased.id, reason: failure.reason }, "webhook disabled");
          return;
        }
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  private attempt(url: string, secret: string, message: WebhookMessage, signal: AbortSignal): Promise<AttemptResult> {
    const body = payloadOf(message);
    return send(
      { url, body, headers: signedHeaders(secret, message, body, new Date()) },
      {
        allowPrivate: this.options.config.allowPrivate,
        timeoutMs: this.options.config.timeoutMs,
        maxResponseBytes: MAX_RESPONSE_BYTES,
        lookup: this.lookup,
        signal,
      },
    );
  }

  private report(webhook: StoredWebhook, message: WebhookMessage, outcome: DeliveryAttempt["outcome"], result: AttemptResult): void {
    const attempt: DeliveryAttempt = {
      webhook: webhook.id,
      account: webhook.account,
      messageId: message.id,
      trigger: message.trigger,
      seq: message.seq,
      outcome,
      httpStatus: result.httpStatus,
      durationMs: Math.round(result.durationMs),
    };
    this.options.logger.debug({ ...attempt, error: result.error ?? undefined }, "webhook attempt");
    metrics.webhookDelivery(outcome === "disabled" ? "gave_up" : outcome);
    this.options.onAttempt?.(attempt);
  }

  private async pruneNow(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.options.core.webhookDelivery.prune(KEEP_DELIVERIES_MS);
  }
}
