import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Database } from "@idhub/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, sharedDatabase, spawnServer, type ServerProcess, type SharedDatabase } from "../support/processes.js";
import { createTenants, Ledger, runLoad, verify, type Tenant } from "../support/workload.js";

// architecture.md "Scale-out": N identical processes behind a real load balancer (Debian's HAProxy,
// installed by scripts/test-prerequisites.sh) on one PostgreSQL. Three idhub processes; the mixed
// workload through the balancer for 60 s at 50 connections, one process SIGKILLed and restarted in
// the middle; then every acknowledged write must be in the database and the invariants hold.
// Duration: about 90 s (12 s through one process, 60 s through three, start-up and checks).

const CONNECTIONS = 50;
const ONE_PROCESS_MS = 12_000;
const THREE_PROCESSES_MS = 60_000;
const KILL_AT_MS = 20_000;
const RESTART_AT_MS = 30_000;
const LOGIN_LIMIT = 10;
const DETECTION_MS = 2_000;

const pgUrl = process.env.IDHUB_TEST_PG_URL;

function haproxyConfig(front3: number, front1: number, ports: number[]): string {
  const servers = ports.map((port, i) => `  server s${i + 1} 127.0.0.1:${port} check`).join("\n");
  return `global
  maxconn 2000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout check 5s
  # only connection failures are retried (a request never reached a server): safe for POSTs
  retries 3
  option redispatch
frontend idhub
  bind 127.0.0.1:${front3}
  http-request del-header X-Forwarded-For
  option forwardfor
  default_backend idhub
frontend idhub_one
  bind 127.0.0.1:${front1}
  http-request del-header X-Forwarded-For
  option forwardfor
  default_backend idhub_one
backend idhub
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 500ms fall 3 rise 2
${servers}
backend idhub_one
  option httpchk GET /health/ready
  http-check expect status 200
  server s1 127.0.0.1:${ports[0]} check inter 500ms fall 3 rise 2
`;
}

/** A GET from a chosen loopback source address (a second "client" on one machine). */
function getFrom(localAddress: string, url: string, secret: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((resolve, reject) => {
    request(url, { localAddress, agent: false, headers: { authorization: secret } }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }));
    })
      .on("error", reject)
      .end();
  });
}

describe.runIf(pgUrl)("three idhub processes behind HAProxy on one PostgreSQL", () => {
  let shared: SharedDatabase;
  let database: Database;
  let servers: ServerProcess[];
  let haproxy: ChildProcess;
  let haproxyLog = "";
  let dir: string;
  let balancer: string;
  let single: string;
  let tenants: Tenant[];
  const env = () => ({
    IDHUB_DATABASE_URL: shared.url,
    IDHUB_TRUSTED_PROXIES: "127.0.0.1",
    IDHUB_LOGIN_MAX_FAILURES: String(LOGIN_LIMIT),
    LOG_LEVEL: "info",
  });

  beforeAll(async () => {
    shared = await sharedDatabase("postgres");
    // The first process migrates and bootstraps; the others start on the prepared database.
    servers = [await spawnServer(env())];
    servers.push(...(await Promise.all([spawnServer(env()), spawnServer(env())])));
    database = await openDatabase(shared.url);
    tenants = await createTenants(database, 20);

    dir = await mkdtemp(join(tmpdir(), "idhub-haproxy-"));
    const [front3, front1] = [await freePort(), await freePort()];
    await writeFile(join(dir, "haproxy.cfg"), haproxyConfig(front3, front1, servers.map((s) => s.port)));
    haproxy = spawn("haproxy", ["-db", "-f", join(dir, "haproxy.cfg")], { stdio: ["ignore", "pipe", "pipe"] });
    haproxy.stdout!.on("data", (c) => (haproxyLog += c));
    haproxy.stderr!.on("data", (c) => (haproxyLog += c));
    haproxy.once("error", (error) => (haproxyLog += `\n${error.message} (is Debian's haproxy installed? scripts/test-prerequisites.sh)`));
    balancer = `http://127.0.0.1:${front3}`;
    single = `http://127.0.0.1:${front1}`;
    // Ready when the balancer has seen all three servers pass their readiness checks.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const replies = await Promise.all(servers.map(() => fetch(`${balancer}/health/ready`).then((r) => r.status, () => 0)));
      if (replies.every((s) => s === 200)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await fetch(`${balancer}/health/ready`).catch(() => undefined))?.status, haproxyLog).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500)); // rise 2 × inter 500 ms for every server
  }, 120_000);

  afterAll(async () => {
    haproxy?.kill("SIGTERM");
    await Promise.all((servers ?? []).map((s) => s.kill("SIGKILL")));
    await database?.close();
    await shared?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`25 failed logins from one client over the 3 processes: throttled after ${LOGIN_LIMIT}, with Retry-After; another client is not`, async () => {
    const before = servers.map((s) => (s.output().match(/"path":"\/whoami"/g) ?? []).length);
    const replies = [];
    for (let i = 0; i < 25; i++) replies.push(await getFrom("127.0.0.2", `${balancer}/whoami`, `wrong-secret-${i}`));
    const after = servers.map((s) => (s.output().match(/"path":"\/whoami"/g) ?? []).length);
    // round robin: every process answered some of them
    for (const [i, n] of after.entries()) expect(n - before[i]!).toBeGreaterThanOrEqual(8);

    expect(replies.map((r) => r.status)).toEqual(Array(25).fill(401));
    const throttled = replies.map((r) => /too many/i.test(r.body.description));
    expect(throttled).toEqual([...Array(LOGIN_LIMIT).fill(false), ...Array(25 - LOGIN_LIMIT).fill(true)]);
    for (const reply of replies.slice(LOGIN_LIMIT)) expect(Number(reply.headers["retry-after"])).toBeGreaterThan(0);
    expect(replies[0]!.headers["retry-after"]).toBeUndefined();

    // The throttled address is refused even with a good secret; another address is served.
    const good = tenants[0]!.secret;
    expect((await getFrom("127.0.0.2", `${balancer}/whoami`, good)).status).toBe(401);
    expect((await getFrom("127.0.0.3", `${balancer}/whoami`, good)).status).toBe(200);
    expect((await getFrom("127.0.0.3", `${balancer}/whoami`, "wrong")).body.description).not.toMatch(/too many/i);
  });

  it("60 s of mixed load at 50 connections, one process SIGKILLed and restarted: no acknowledged write lost", async () => {
    const one = await runLoad({ baseUrl: single, tenants, connections: CONNECTIONS, durationMs: ONE_PROCESS_MS });
    const ledger = new Ledger();
    const started = Date.now();
    let killedAt = 0;
    let restartedAt = 0;
    const chaos = (async () => {
      await new Promise((r) => setTimeout(r, KILL_AT_MS));
      killedAt = Date.now();
      await servers[1]!.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, RESTART_AT_MS - KILL_AT_MS));
      servers[1] = await spawnServer(env(), servers[1]!.port);
      restartedAt = Date.now();
    })();
    await runLoad({ baseUrl: balancer, tenants, connections: CONNECTIONS, durationMs: THREE_PROCESSES_MS, ledger });
    await chaos;
    const elapsed = Date.now() - started;

    // Requests on the killed process: in flight at the kill, or routed to it (on a kept-alive
    // balancer connection) before HAProxy marked it down — fall 3 × inter 500 ms.
    const inFlightAtKill = ledger.failures.filter((f) => f.endedAt >= killedAt && f.startedAt <= killedAt + DETECTION_MS);
    const report = {
      oneProcess: { requests: one.requests, rps: Math.round(one.requests / (ONE_PROCESS_MS / 1000)), failures: one.failures.length },
      threeProcesses: {
        requests: ledger.requests,
        rps: Math.round(ledger.requests / (elapsed / 1000)),
        acknowledgedWrites: ledger.acknowledgedWrites,
        failures: ledger.failures.length,
        failuresInFlightAtKill: inFlightAtKill.length,
        failureOutcomes: [...new Set(ledger.failures.map((f) => String(f.outcome)))],
        // failures as [op, outcome, started, ended] in ms after the kill (the restart was at restartedAfterKillMs)
        timeline: ledger.failures.map((f) => [f.op, f.outcome, f.startedAt - killedAt, f.endedAt - killedAt]),
        restartedAfterKillMs: restartedAt - killedAt,
      },
      byOperation: Object.fromEntries(ledger.okByOp),
    };
    console.log(`HAProxy scale-out run: ${JSON.stringify(report)}`);

    expect(one.failures).toEqual([]);
    expect(ledger.acknowledgedWrites).toBeGreaterThan(100);
    // Errors only on requests that were on the killed process: at most one per connection.
    expect(ledger.failures.filter((f) => !inFlightAtKill.includes(f))).toEqual([]);
    expect(inFlightAtKill.length).toBeLessThanOrEqual(CONNECTIONS);
    // The restarted process serves again through the balancer.
    expect((await fetch(`${servers[1]!.url}/health/ready`)).status).toBe(200);

    const { missing, violations } = await verify(database, ledger);
    expect(missing).toEqual([]);
    expect(violations).toEqual([]);
  }, 180_000);
});
