/**
 * Case 2: `PATCH /twins/{twin}/identities/{identity}` across 10k identities (100 twins × 100
 * identities, seeded over HTTP with POST /twins and POST /twins/{twin}/identities in batches of
 * 100), body `{"validity_ts": <future seconds that change on every request>}`.
 */
import { accountsOf, call, ready, sideOf, json, type BenchCase } from "./common.js";

const TWINS = 100;
const PER_TWIN = 100; // the route's maximum per request

export const identitiesPatch: BenchCase = {
  name: "2-identities-patch",
  title: "2 PATCH /twins/{twin}/identities/{identity}",
  baseline: "write",
  targets: "write",
  async prepare(ctx) {
    const server = await ctx.startIdhub({ name: "case2" });
    const me = accountsOf(server)[0]!;
    const started = performance.now();
    const twins: string[] = [];
    for (let t = 0; t < TWINS; t++) {
      const created = await call(`${server.url}/twins`, me.secret, "POST", {});
      if (created.status === 404) return { kind: "skip", reason: "route not available yet: POST /twins answered 404" };
      twins.push((created.data as { creation_certificate: { uuid: string } }).creation_certificate.uuid);
    }
    // Identity k lives on twin floor(k / 100): the load's {{t}} finds it the same way.
    const seedTwin = async (t: number) => {
      const identities = Object.fromEntries(Array.from({ length: PER_TWIN }, (_, i) => [`SN#${t * PER_TWIN + i}`, {}]));
      const created = await call(`${server.url}/twins/${twins[t]}/identities`, me.secret, "POST", { identities });
      return created.status;
    };
    for (let t = 0; t < TWINS; t += 4) {
      const statuses = await Promise.all([t, t + 1, t + 2, t + 3].filter((i) => i < TWINS).map(seedTwin));
      if (statuses.includes(404)) return { kind: "skip", reason: "route not available yet: POST /twins/{twin}/identities answered 404" };
    }
    ctx.log(`  seeded ${TWINS} twins × ${PER_TWIN} identities over HTTP in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const spec = {
      method: "PATCH",
      path: "/twins/{{t}}/identities/SN%23{{k}}",
      headers: { Authorization: me.secret, ...json },
      body: '{"validity_ts":{{fut}}}',
      keys: TWINS * PER_TWIN,
      table: { values: twins, group: PER_TWIN },
    };
    return ready(sideOf(server, "idhub", spec, ctx.settings.connections));
  },
};
