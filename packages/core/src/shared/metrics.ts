/**
 * The metrics hook: how core, storage and the server report what operators watch, without any of
 * them knowing Prometheus. The server installs a sink backed by prom-client when
 * `IDHUB_METRICS_PORT` is set (apps/server/src/metrics/); otherwise every call is a no-op costing
 * one empty loop.
 *
 * To report something, call the matching function where it happens, e.g.
 *
 *     import { metrics } from "@idhub/core";
 *     metrics.groupCommit(batch.length);
 *
 * Each function takes numbers and closed enums only, so no label can carry an id, a name or any
 * other unbounded value. A new metric = a new function here + its prom-client metric in the sink.
 */
export interface MetricsSink {
  /** One database transaction (a use case's, retries included) ended: its wall time and how. */
  dbTransaction(seconds: number, outcome: "commit" | "rollback"): void;
  /** A transaction hit a transient conflict (busy, serialization failure) and runs again. */
  dbRetry(): void;
  /** One group commit wrote this many pending transactions at once. */
  groupCommit(size: number): void;
  /** How far behind the newest event a change-feed reader delivered (seconds). */
  feedLag(seconds: number): void;
  /** A change-feed subscriber connected (+1) or went away (-1). */
  feedSubscribers(delta: 1 | -1): void;
  /** One webhook delivery attempt ended. */
  webhookDelivery(outcome: "delivered" | "failed" | "gave_up"): void;
  /** An authentication failed ("failure") or was refused because its client is throttled ("throttled"). */
  login(outcome: "failure" | "throttled"): void;
}

const sinks = new Set<MetricsSink>();

/**
 * Adds a sink (one per running server; tests may run several in one process) and returns the
 * function that removes it again.
 */
export function installMetricsSink(sink: MetricsSink): () => void {
  sinks.add(sink);
  return () => void sinks.delete(sink);
}

const fanOut =
  <K extends keyof MetricsSink>(name: K) =>
  (...args: Parameters<MetricsSink[K]>): void => {
    for (const sink of sinks) (sink[name] as (...a: Parameters<MetricsSink[K]>) => void)(...args);
  };

/** Report here (see the module comment). */
export const metrics: MetricsSink = {
  dbTransaction: fanOut("dbTransaction"),
  dbRetry: fanOut("dbRetry"),
  groupCommit: fanOut("groupCommit"),
  feedLag: fanOut("feedLag"),
  feedSubscribers: fanOut("feedSubscribers"),
  webhookDelivery: fanOut("webhookDelivery"),
  login: fanOut("login"),
};
