import { installMetricsSink, type MetricsSink } from "@idhub/core";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

// Seconds; finer than prom-client's defaults at the low end, where idhub's requests are.
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface RequestLabels {
  /** trustedtwin | connector | trpc. */
  surface: string;
  /** The route template (`/twins/{twin}`), a tRPC procedure (`/trpc/access.whoami`) or `unmatched`. */
  route: string;
  method: string;
  status: number;
}

/** One server's metrics: a prom-client registry with the HTTP, process and domain metrics. */
export interface Metrics {
  registry: Registry;
  observeRequest(labels: RequestLabels, seconds: number): void;
  /** Stops receiving domain metrics (the server closed). */
  close(): void;
}

/**
 * Builds the registry. Every label value comes from a closed set (surface, route template,
 * method, status, outcome enums): never an id, a name or a raw path.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "idhub_" });
  const labelNames = ["surface", "route", "method", "status"] as const;
  const requests = new Counter({ name: "idhub_http_requests_total", help: "HTTP requests answered", labelNames, registers: [registry] });
  const latency = new Histogram({
    name: "idhub_http_request_duration_seconds",
    help: "Time from receiving a request to its answer",
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const uninstall = installMetricsSink(domainSink(registry));
  return {
    registry,
    observeRequest(labels, seconds) {
      const values = { ...labels, status: String(labels.status) };
      requests.inc(values);
      latency.observe(values, seconds);
    },
    close: uninstall,
  };
}

/** The prom-client side of core's metrics hook (packages/core/src/shared/metrics.ts). */
function domainSink(registry: Registry): MetricsSink {
  const registers = [registry];
  const transactions = new Histogram({
    name: "idhub_db_transaction_duration_seconds",
    help: "Database transaction wall time, by outcome",
    labelNames: ["outcome"],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const retries = new Counter({ name: "idhub_db_transaction_retries_total", help: "Database transactions retried (busy, serialization)", registers });
  const groupCommit = new Histogram({
    name: "idhub_group_commit_size",
    help: "Transactions written together by one group commit",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers,
  });
  const feedLag = new Histogram({
    name: "idhub_feed_lag_seconds",
    help: "Delay between an event's commit and its delivery to a change-feed subscriber",
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const subscribers = new Gauge({ name: "idhub_feed_subscribers", help: "Connected change-feed subscribers", registers });
  const webhooks = new Counter({ name: "idhub_webhook_deliveries_total", help: "Webhook delivery attempts, by outcome", labelNames: ["outcome"], registers });
  const logins = new Counter({
    name: "idhub_login_rejections_total",
    help: "Rejected authentications: failure (bad secret) or throttled (client over its failure limit)",
    labelNames: ["outcome"],
    registers,
  });
  return {
    dbTransaction: (seconds, outcome) => transactions.observe({ outcome }, seconds),
    dbRetry: () => retries.inc(),
    groupCommit: (size) => groupCommit.observe(size),
    feedLag: (seconds) => feedLag.observe(seconds),
    feedSubscribers: (delta) => subscribers.inc(delta),
    webhookDelivery: (outcome) => webhooks.inc({ outcome }),
    login: (outcome) => logins.inc({ outcome }),
  };
}
