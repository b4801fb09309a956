import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { bootstrapSecretPath } from "../../src/bootstrap.js";
import { CONFIG_VARIABLES, loadConfig } from "../../src/config.js";

/** The webhook settings when no IDHUB_WEBHOOKS_* variable is set. */
const DEFAULT_WEBHOOKS = {
  allowPrivate: false,
  key: undefined,
  concurrency: 16,
  pollMs: 1_000,
  timeoutMs: 10_000,
  leaseMs: 30_000,
  minBackoffMs: 1_000,
  maxBackoffMs: 3_600_000,
  disableAfterMs: 86_400_000,
};

describe("loadConfig", () => {
  it("has the documented defaults; empty variables count as unset", () => {
    expect(loadConfig({ PORT: "" })).toEqual({
      port: 8080,
      host: "127.0.0.1",
      databaseUrl: "file:./data/idhub.sqlite",
      addressHost: "localhost",
      sqliteSync: "normal",
      logLevel: "info",
      nodeEnv: "production",
      workers: 1,
      trustedProxies: [],
      shutdownTimeoutMs: 10_000,
      drainDelayMs: 0,
      loginMaxFailures: 20,
      loginWindowMs: 60_000,
      quotas: { twins: 1_000_000, identitiesPerTwin: 1_000, metadataRecords: 1_000_000, webhooks: 100 },
      corsOrigins: [],
      metricsPort: undefined,
      metricsToken: undefined,
      webhooks: DEFAULT_WEBHOOKS,
    });
  });

  it("reads every variable", () => {
    expect(
      loadConfig({
        PORT: "9000",
        HOST: "0.0.0.0",
        IDHUB_DATABASE_URL: "postgres://u@db:5432/idhub",
        IDHUB_ADDRESS_HOST: "id.example.com",
        IDHUB_SQLITE_SYNC: "full",
        LOG_LEVEL: "debug",
        NODE_ENV: "development",
        IDHUB_WORKERS: "3",
        IDHUB_TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1,::1",
        IDHUB_SHUTDOWN_TIMEOUT: "2.5",
        IDHUB_DRAIN_DELAY: "1",
        IDHUB_LOGIN_MAX_FAILURES: "5",
        IDHUB_LOGIN_WINDOW: "30",
        IDHUB_MAX_TWINS: "10",
        IDHUB_MAX_IDENTITIES_PER_TWIN: "5",
        IDHUB_MAX_METADATA_RECORDS: "7",
        IDHUB_MAX_WEBHOOKS: "3",
        IDHUB_CORS_ORIGINS: "https://app.example.com",
        IDHUB_METRICS_PORT: "9100",
        IDHUB_METRICS_TOKEN: "a-scrape-token-of-16+",
      }),
    ).toEqual({
      port: 9000,
      host: "0.0.0.0",
      databaseUrl: "postgres://u@db:5432/idhub",
      addressHost: "id.example.com",
      sqliteSync: "full",
      logLevel: "debug",
      nodeEnv: "development",
      workers: 3,
      trustedProxies: ["10.0.0.0/8", "127.0.0.1", "::1"],
      shutdownTimeoutMs: 2_500,
      drainDelayMs: 1_000,
      loginMaxFailures: 5,
      loginWindowMs: 30_000,
      quotas: { twins: 10, identitiesPerTwin: 5, metadataRecords: 7, webhooks: 3 },
      corsOrigins: ["https://app.example.com"],
      metricsPort: 9100,
      metricsToken: "a-scrape-token-of-16+",
      webhooks: DEFAULT_WEBHOOKS,
    });
  });

  it("IDHUB_WORKERS=auto is one worker per core", () => {
    expect(loadConfig({ IDHUB_WORKERS: "auto" }).workers).toBe(availableParallelism());
  });

  it.each([
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["PORT", "80.5"],
    ["IDHUB_DATABASE_URL", "mysql://x"],
    ["IDHUB_ADDRESS_HOST", "not a host"],
    ["IDHUB_SQLITE_SYNC", "off"],
    ["LOG_LEVEL", "verbose"],
    ["NODE_ENV", "staging"],
    ["IDHUB_WORKERS", "0"],
    ["IDHUB_WORKERS", "many"],
    ["IDHUB_TRUSTED_PROXIES", "10.0.0.0/33"],
    ["IDHUB_TRUSTED_PROXIES", "proxy.example.com"],
    ["IDHUB_SHUTDOWN_TIMEOUT", "0"],
    ["IDHUB_LOGIN_MAX_FAILURES", "0"],
    ["IDHUB_MAX_TWINS", "0"],
    ["IDHUB_MAX_METADATA_RECORDS", "lots"],
    ["IDHUB_MAX_WEBHOOKS", "-1"],
    ["IDHUB_CORS_ORIGINS", "app.example.com"],
    ["IDHUB_METRICS_PORT", "metrics"],
    ["IDHUB_METRICS_TOKEN", "short"],
  ])("rejects %s=%s with a message naming the variable and the value", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} .*"${value}"`));
  });
});

describe("bootstrapSecretPath", () => {
  it("lies beside the SQLite file, else in ./data", () => {
    expect(bootstrapSecretPath("file:./data/idhub.sqlite", "/srv")).toBe("/srv/data/bootstrap-secret.txt");
    expect(bootstrapSecretPath("file:/var/lib/idhub/db.sqlite", "/srv")).toBe("/var/lib/idhub/bootstrap-secret.txt");
    expect(bootstrapSecretPath("file:///var/lib/idhub/db.sqlite?mode=rwc", "/srv")).toBe("/var/lib/idhub/bootstrap-secret.txt");
    expect(bootstrapSecretPath("file::memory:", "/srv")).toBe("/srv/data/bootstrap-secret.txt");
    expect(bootstrapSecretPath("postgres://u@h/db", "/srv")).toBe("/srv/data/bootstrap-secret.txt");
  });
});

describe("the README's configuration table", () => {
  it("lists every variable the configuration reads", () => {
    const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
    const table = readme.slice(readme.indexOf("## Configuration (environment)"));
    expect(CONFIG_VARIABLES.filter((name) => !table.includes(`| \`${name}\` |`))).toEqual([]);
  });
});
