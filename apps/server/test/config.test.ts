import { describe, expect, it } from "vitest";
import { bootstrapSecretPath } from "../src/bootstrap.js";
import { loadConfig } from "../src/config.js";

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
      corsOrigins: [],
      metricsPort: undefined,
      metricsToken: undefined,
      webhooks: {
        allowPrivate: false,
        key: undefined,
        concurrency: 16,
        pollMs: 1_000,
        timeoutMs: 10_000,
        leaseMs: 30_000,
        minBackoffMs: 1_000,
        maxBackoffMs: 3_600_000,
        disableAfterMs: 86_400_000,
      },
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
      corsOrigins: ["https://app.example.com"],
      metricsPort: 9100,
      metricsToken: "a-scrape-token-of-16+",
      webhooks: {
        allowPrivate: false,
        key: undefined,
        concurrency: 16,
        pollMs: 1_000,
        timeoutMs: 10_000,
        leaseMs: 30_000,
        minBackoffMs: 1_000,
        maxBackoffMs: 3_600_000,
        disableAfterMs: 86_400_000,
      },
    });
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
