import { pino, type Logger } from "pino";
import type { Config } from "./config.js";

export type { Logger };

/**
 * Structured JSON logs on stdout. Nothing logs request headers, but the redaction list is a second
 * line of defence should a secret ever end up in a logged object.
 */
export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({
    level: config.logLevel,
    base: { service: "idhub" },
    redact: {
      paths: ["secret", "*.secret", "pin", "*.pin", "authorization", "*.authorization", '*["x-api-key"]'],
      censor: "[redacted]",
    },
  });
}
