export { loadConfig, type Config, type LogLevel } from "./config.js";
export { createLogger, type Logger } from "./logger.js";
export { startServer, type RunningServer, type StartOptions } from "./server.js";
export { runUntilSignal } from "./run.js";
export { createApp, type AppOptions } from "./app.js";
export { bootstrapSecretPath } from "./bootstrap.js";
