import { availableParallelism } from "node:os";
import { DEFAULT_QUOTAS, type Quotas } from "@idhub/core";
import proxyAddr from "proxy-addr";
import { z } from "zod";
import { webhookConfigOf, webhookEnvSchema, type WebhookConfig } from "./webhooks/config.js";

/** The process configuration, read once from the environment at start. */
export interface Config {
  port: number;
  host: string;
  /** `file:./data/idhub.sqlite`, `file::memory:` or `postgres://…`. */
  databaseUrl: string;
  /** Host part of enmeshed addresses (`did:e:<host>:dids:…`). */
  addressHost: string;
  sqliteSync: "normal" | "full";
  logLevel: LogLevel;
  nodeEnv: "development" | "production" | "test";
  /** Server processes on the one port (node:cluster); 1 serves in this process. */
  workers: number;
  /** Addresses/CIDRs of proxies whose X-Forwarded-For / Forwarded is believed (empty: none). */
  trustedProxies: string[];
  /** How long a SIGTERM waits for requests in flight before the process exits, in ms. */
  shutdownTimeoutMs: number;
  /** How long a draining process keeps accepting (readiness 503) before it closes its port, in ms. */
  drainDelayMs: number;
  /** Failed logins per client address and window before that address is refused (all processes together). */
  loginMaxFailures: number;
  loginWindowMs: number;
  /** Per-account quotas (IDHUB_MAX_TWINS, IDHUB_MAX_IDENTITIES_PER_TWIN, IDHUB_MAX_METADATA_RECORDS, IDHUB_MAX_WEBHOOKS). */
  quotas: Quotas;
  /** Events older than this many milliseconds are pruned; undefined keeps everything. */
  eventsRetentionMs: number | undefined;

  /** Browser origins allowed to call the API (CORS); empty = none, `["*"]` = any. */
  corsOrigins: readonly string[];
  /** Port of the Prometheus `/metrics` listener; undefined = no metrics at all (the default). */
  metricsPort: number | undefined;
  /** Bearer token `/metrics` requires; mandatory when metrics share the public port. */
  metricsToken: string | undefined;
  webhooks: WebhookConfig;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// The address host must keep addresses valid references for IdentityMetadata (domain.md).
const ADDRESS_HOST = /^((([A-Za-z0-9]+(-[A-Za-z0-9]+)*)\.)+[a-z]{2,}|localhost)$/;

const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30d`, `12h`, `90m`, `3600s` → milliseconds. */
const duration = z
  .string()
  .regex(/^[1-9][0-9]{0,6}[smhd]$/, "must be a positive duration such as 30d, 12h, 90m or 3600s")
  .transform((text) => Number(text.slice(0, -1)) * DURATION_UNITS_MS[text.at(-1) as keyof typeof DURATION_UNITS_MS]);

// `scheme://host[:port]` exactly as a browser sends it in Origin (no path, no trailing slash).
const ORIGIN = /^https?:\/\/[^/\s,]+$/;

const corsOrigins = z
  .string()
  .transform((list) => list.split(",").map((origin) => origin.trim()).filter(Boolean))
  .refine((list) => list.every((origin) => origin === "*" || ORIGIN.test(origin)), "must be * or a comma-separated list of origins like https://app.example.com")
  .refine((list) => !list.includes("*") || list.length === 1, "must be * alone, or a list of origins")
  .default([]);

const schema = z.object({
  PORT: z.coerce
    .number({ error: "must be a number" })
    .int("must be an integer")
    .min(0, "must be between 0 and 65535")
    .max(65535, "must be between 0 and 65535")
    .default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  IDHUB_DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres:\/\/|postgresql:\/\/)/, "must start with file:, postgres:// or postgresql://")
    .default("file:./data/idhub.sqlite"),
  IDHUB_ADDRESS_HOST: z.string().regex(ADDRESS_HOST, "must be a DNS name with a top-level domain, or localhost").default("localhost"),
  IDHUB_SQLITE_SYNC: z.enum(["normal", "full"], { error: "must be normal or full" }).default("normal"),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  IDHUB_WORKERS: z
    .union([z.literal("auto"), z.coerce.number().int().min(1).max(256)], { error: "must be a whole number from 1 to 256, or auto" })
    .default(1),
  IDHUB_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((list) => list.split(",").map((entry) => entry.trim()).filter(Boolean))
    .refine(compilesAsTrust, "must be a comma-separated list of IP addresses or CIDRs (e.g. 10.0.0.0/8,127.0.0.1)"),
  IDHUB_SHUTDOWN_TIMEOUT: seconds("must be a number of seconds").default(10),
  IDHUB_DRAIN_DELAY: z.coerce.number({ error: "must be a number of seconds" }).min(0, "must not be negative").max(3_600).default(0),
  IDHUB_LOGIN_MAX_FAILURES: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").default(20),
  IDHUB_LOGIN_WINDOW: seconds("must be a number of seconds").default(60),
  IDHUB_MAX_TWINS: quota(DEFAULT_QUOTAS.twins),
  IDHUB_MAX_IDENTITIES_PER_TWIN: quota(DEFAULT_QUOTAS.identitiesPerTwin),
  IDHUB_MAX_METADATA_RECORDS: quota(DEFAULT_QUOTAS.metadataRecords),
  IDHUB_MAX_WEBHOOKS: quota(DEFAULT_QUOTAS.webhooks),
  NODE_ENV: z.enum(["development", "production", "test"], { error: "must be development, production or test" }).default("production"),
  IDHUB_EVENTS_RETENTION: duration.optional(),
  IDHUB_CORS_ORIGINS: corsOrigins,
  IDHUB_METRICS_PORT: z.coerce
    .number({ error: "must be a number" })
    .int("must be an integer")
    .min(0, "must be between 0 and 65535")
    .max(65535, "must be between 0 and 65535")
    .optional(),
  IDHUB_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  ...webhookEnvSchema,
});

function quota(fallback: number) {
  return z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").default(fallback);
}

function seconds(message: string) {
  return z.coerce.number({ error: message }).positive(message).max(86_400, "must be at most 86400 seconds");
}

/** proxy-addr's own parser decides what a trusted-proxy entry is (also names like `loopback`). */
function compilesAsTrust(list: string[]): boolean {
  try {
    proxyAddr.compile(list);
    return true;
  } catch {
    return false;
  }
}

/** Every environment variable the configuration reads (the README's table lists each; a test checks). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/**
 * Parses the environment. An empty variable counts as unset. Throws an Error naming the first bad
 * variable and its value, which the CLI prints before exiting with status 1.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new Error(`Invalid configuration: ${name} ${issue.message} (got ${JSON.stringify(env[name])})`);
  }
  const e = parsed.data;
  // Metrics reveal traffic; on the port the world reaches they must be behind a token.
  if (e.IDHUB_METRICS_PORT !== undefined && e.IDHUB_METRICS_PORT === e.PORT && e.PORT !== 0 && !e.IDHUB_METRICS_TOKEN) {
    throw new Error("Invalid configuration: IDHUB_METRICS_PORT equals PORT, which needs IDHUB_METRICS_TOKEN (metrics are never public)");
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.IDHUB_DATABASE_URL,
    addressHost: e.IDHUB_ADDRESS_HOST,
    sqliteSync: e.IDHUB_SQLITE_SYNC,
    logLevel: e.LOG_LEVEL,
    nodeEnv: e.NODE_ENV,
    workers: e.IDHUB_WORKERS === "auto" ? availableParallelism() : e.IDHUB_WORKERS,
    trustedProxies: e.IDHUB_TRUSTED_PROXIES,
    shutdownTimeoutMs: e.IDHUB_SHUTDOWN_TIMEOUT * 1000,
    drainDelayMs: e.IDHUB_DRAIN_DELAY * 1000,
    loginMaxFailures: e.IDHUB_LOGIN_MAX_FAILURES,
    loginWindowMs: e.IDHUB_LOGIN_WINDOW * 1000,
    quotas: {
      twins: e.IDHUB_MAX_TWINS,
      identitiesPerTwin: e.IDHUB_MAX_IDENTITIES_PER_TWIN,
      metadataRecords: e.IDHUB_MAX_METADATA_RECORDS,
      webhooks: e.IDHUB_MAX_WEBHOOKS,
    },
    eventsRetentionMs: e.IDHUB_EVENTS_RETENTION,
    corsOrigins: e.IDHUB_CORS_ORIGINS,
    metricsPort: e.IDHUB_METRICS_PORT,
    metricsToken: e.IDHUB_METRICS_TOKEN,
    webhooks: webhookConfigOf(e),
  };
}
