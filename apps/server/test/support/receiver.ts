import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got, with the raw body (signatures are over the exact bytes). */
export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  json: { trigger: string; data: any };
  at: number;
  /** What the receiver answered. */
  status: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Distinct webhook-ids in the order first seen. */
  uniqueIds(): string[];
  /** Changes how the next requests are answered. */
  behave(answer: Answer): void;
  /** Resolves once `predicate` holds for what was received (polls; fails after `timeoutMs`). */
  until(predicate: (received: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Status to answer with, after an optional delay (ms). */
export type Answer = (request: { id: string; n: number }) => { status: number; delayMs?: number };

/** A real HTTP receiver on 127.0.0.1 (port 0, or a fixed one to come back on after a restart). */
export async function startReceiver(answer: Answer = () => ({ status: 204 }), port = 0): Promise<Receiver> {
  const received: Received[] = [];
  let current = answer;
  let n = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const id = String(req.headers["webhook-id"]);
      const { status, delayMs } = current({ id, n: n++ });
      const reply = () => {
        received.push({
          id,
          timestamp: String(req.headers["webhook-timestamp"]),
          signature: String(req.headers["webhook-signature"]),
          body,
          json: JSON.parse(body),
          at: Date.now(),
          status,
        });
        res.writeHead(status).end();
      };
      if (delayMs) setTimeout(reply, delayMs).unref();
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/hook`,
    port: actual,
    received,
    uniqueIds: () => [...new Set(received.map((r) => r.id))],
    behave: (a) => void (current = a),
    async until(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} received)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Only the successfully answered requests. */
export const accepted = (received: Received[]) => received.filter((r) => r.status >= 200 && r.status < 300);
