/**
 * Issue #11: `IDHUB_WORKERS=2` on SQLite against one worker, in the same run, on the read cases
 * (GET /whoami, GET /resolve). Both sides are the built `idhub start` on their own fresh database
 * (servers/idhub-workers.ts); the "baseline" of these cases is the one-worker server, so ×base is
 * directly "2 workers / 1 worker" (target ≥ 1.7). On a 2-core machine the load generator's thread
 * takes part of the second core from the two workers.
 */
import type { ServerHandle } from "../harness/server-process.js";
import type { RequestSpec } from "../harness/load.js";
import { accountsOf, call, ready, sideOf, type BenchCase, type CaseContext, type Prepared } from "./common.js";

const start = (ctx: CaseContext, workers: number) =>
  ctx.startBare(workers === 1 ? "case-baseline" : `workers-${workers}`, "servers/idhub-workers.ts", {
    BENCH_WORKERS: String(workers),
    BENCH_TMP_DIR: ctx.dir,
    IDHUB_DATABASE_URL: `file:${ctx.dir}/workers-${workers}-${Date.now()}.sqlite`,
    NODE_ENV: "production",
    LOG_LEVEL: "info",
  });

async function prepareWorkers(ctx: CaseContext, request: (server: ServerHandle) => Promise<RequestSpec>): Promise<Prepared> {
  const one = await start(ctx, 1);
  const two = await start(ctx, 2);
  const baseline = { ...sideOf(one, "idhub, IDHUB_WORKERS=1", await request(one), ctx.settings.connections) };
  return ready(sideOf(two, "idhub, IDHUB_WORKERS=2", await request(two), ctx.settings.connections), { baseline });
}

export const workersWhoami: BenchCase = {
  name: "workers-whoami",
  title: "IDHUB_WORKERS=2 / 1: GET /whoami",
  baseline: "read",
  targets: "workers",
  prepare: (ctx) =>
    prepareWorkers(ctx, async (server) => ({ method: "GET", path: "/whoami", headers: { Authorization: accountsOf(server)[0]!.secret }, keys: 1 })),
};

export const workersResolve: BenchCase = {
  name: "workers-resolve",
  title: "IDHUB_WORKERS=2 / 1: GET /resolve/{identity}",
  baseline: "read",
  targets: "workers",
  prepare: (ctx) =>
    prepareWorkers(ctx, async (server) => {
      const me = accountsOf(server)[0]!;
      // 100 twins with one identity each; the load resolves them in turn.
      for (let t = 0; t < 100; t++) {
        const twin = await call(`${server.url}/twins`, me.secret, "POST", {});
        const id = (twin.data as { creation_certificate: { uuid: string } }).creation_certificate.uuid;
        await call(`${server.url}/twins/${id}/identities`, me.secret, "POST", { identities: { [`SN#${t}`]: {} } });
      }
      return { method: "GET", path: "/resolve/SN%23{{k}}?context=personal", headers: { Authorization: me.secret }, keys: 100 };
    }),
};
