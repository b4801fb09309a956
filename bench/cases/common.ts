/**
 * What a case is: it starts the idhub server(s) it needs (through the context, so the runner can
 * stop them, profile them and read their RSS), seeds data through the public API, probes one
 * request, and hands back the load to compare with a baseline. A route that answers 404 is not
 * there yet (other engineers are adding it): the case is skipped, not failed.
 */
import { probe, type RequestSpec } from "../harness/load.js";
import type { Settings, Side } from "../harness/measure.js";
import type { ServerHandle } from "../harness/server-process.js";

export interface Account {
  account: string;
  address: string;
  user: string;
  role: string;
  secret: string;
}

export interface IdhubOptions {
  name: string;
  /** Default: a fresh SQLite file in this case's temp directory. */
  databaseUrl?: string;
  /** Accounts to create through core (0 for a second process on a shared database). */
  accounts?: number;
  /** More environment for the server (e.g. IDHUB_SQLITE_SYNC). */
  env?: Record<string, string>;
}

export interface CaseContext {
  settings: Settings;
  /** A fresh temporary directory for this case (SQLite files, logs). */
  dir: string;
  log: (line: string) => void;
  startIdhub(opts: IdhubOptions): Promise<ServerHandle>;
  /**
   * A bare comparison server (`entry` under bench/servers: the tRPC peer, a baseline on a case's own
   * data), stopped with the case. Named `case-baseline` when it is the case's baseline: its RSS and
   * cold start are not the case's.
   */
  startBare(name: string, entry: string, env: Record<string, string>): Promise<ServerHandle>;
}

/** Which baseline a case is compared with, and which of quality.md's targets apply. */
export type BaselineKind = "write" | "read";
export type TargetSet = "write" | "trpc-single" | "batch" | "resolve" | "pg" | "workers" | "indicative" | "none";

export type Prepared =
  | { kind: "ready"; side: Side; notes?: string[]; cleanup?: () => Promise<void>; baseline?: Side }
  | { kind: "skip"; reason: string; cleanup?: () => Promise<void> };

export interface BenchCase {
  /** For --case: matched exactly or by prefix (`--case 3` runs 3-trpc-single and 3-trpc-batch50). */
  name: string;
  title: string;
  baseline: BaselineKind;
  targets: TargetSet;
  /** Not implemented yet: printed as such, never run. */
  notImplemented?: string;
  prepare?(ctx: CaseContext): Promise<Prepared>;
}

export const accountsOf = (server: ServerHandle): Account[] => server.info.accounts as Account[];

export const json = { "Content-Type": "application/json" };

/** One request of the load, outside the load: 404 → skip; another non-2xx → the case fails loudly. */
export async function checkRoute(side: Side): Promise<Prepared | undefined> {
  const target = side.targets[0]!;
  const { status, body } = await probe(target.url, side.spec, 1);
  if (status === 404) {
    return { kind: "skip", reason: `route not available yet: ${side.spec.method} ${side.spec.path.split("?")[0]} answered 404 ${body.slice(0, 120)}` };
  }
  if (status < 200 || status >= 300) throw new Error(`probe ${side.spec.method} ${side.spec.path} answered ${status}: ${body}`);
  return undefined;
}

/** A ready case after its route probe passed, else the skip. */
export async function ready(side: Side, extra: Omit<Extract<Prepared, { kind: "ready" }>, "kind" | "side"> = {}): Promise<Prepared> {
  const skip = await checkRoute(side);
  if (skip) return { ...skip, ...(extra.cleanup ? { cleanup: extra.cleanup } : {}) };
  return { kind: "ready", side, ...extra };
}

/** A side with one idhub server taking all connections. */
export function sideOf(server: ServerHandle, label: string, spec: RequestSpec, connections: number, items = 1): Side {
  return { label, spec, targets: [{ url: server.url, connections }], servers: [server], items };
}

/** fetch with the secret; throws on a non-2xx answer unless it is 404 (returned for the skip logic). */
export async function call(url: string, secret: string, method: string, body?: unknown): Promise<{ status: number; data: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { Authorization: secret, ...json },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok && res.status !== 404) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return { status: res.status, data: text ? JSON.parse(text) : undefined };
}
