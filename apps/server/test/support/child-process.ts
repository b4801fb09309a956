import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { DeliveryAttempt } from "../../src/webhooks/index.js";

export interface ChildServer {
  url: string;
  /** Webhook attempts this process reported, in order. */
  attempts: DeliveryAttempt[];
  kill(signal: NodeJS.Signals): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL("./child-server.ts", import.meta.url));
const SERVER_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** Runs support/child-server.ts from source (tsx) with `env` added; resolves once it listens. */
export function spawnServer(env: Record<string, string>): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ["--conditions=@idhub/source", "--import", "tsx", SCRIPT], {
    cwd: SERVER_DIR,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const attempts: DeliveryAttempt[] = [];
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`child server did not start: ${stderr}`)), 30_000);
    child.once("exit", (code) => reject(new Error(`child server exited (${code}): ${stderr}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith("READY ")) {
          clearTimeout(timer);
          resolve({
            url: line.slice("READY ".length),
            attempts,
            kill: async (signal) => {
              if (child.exitCode === null && child.signalCode === null) child.kill(signal);
              await exited;
            },
          });
        } else if (line.startsWith("{")) {
          attempts.push((JSON.parse(line) as { attempt: DeliveryAttempt }).attempt);
        }
      }
    });
  });
}
