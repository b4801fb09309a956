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
  NODE_ENV: z.enum(["development", "production", "test"], { error: "must be development, production or test" }).default("production"),
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
    corsOrigins: e.IDHUB_CORS_ORIGINS,
    metricsPort: e.IDHUB_METRICS_PORT,
    metricsToken: e.IDHUB_METRICS_TOKEN,
    webhooks: webhookConfigOf(e),
  };
}
