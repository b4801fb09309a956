import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free loopback port (a restarted server must come back on the same one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** Everything the process printed (its pino log and the first-start banner). */
  output(): string;
  /** Resident memory of the process in kB (Linux /proc). */
  rssKb(): number;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), and wait until it is gone. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/**
 * `idhub start` (the real CLI, from the TypeScript sources through tsx) in a child process on
 * 127.0.0.1, resolved once `/health` answers.
 */
export async function spawnServer(opts: { databaseUrl: string; port?: number; env?: Record<string, string> }): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@idhub/source", "src/cli.ts", "start"], {
    cwd: APP_DIR,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", IDHUB_DATABASE_URL: opts.databaseUrl, LOG_LEVEL: "info", NODE_ENV: "test", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => (live.delete(child), resolve())));
  const gone = () => child.exitCode !== null || child.signalCode !== null;

  const deadline = Date.now() + 60_000;
  while (true) {
    if (gone()) throw new Error(`server exited before it was ready:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server not ready after 60 s:\n${output.slice(-3000)}`);
    }
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(50);
  }
  return {
    url,
    port,
    pid: child.pid!,
    output: () => output,
    rssKb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]),
    async kill() {
      if (!gone()) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (!gone()) child.kill("SIGTERM");
      await exited;
    },
  };
}
