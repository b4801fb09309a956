/**
 * Cases that work with today's routes, to validate the harness end to end against the full stack:
 * an authenticated read (GET /whoami, compared with the point-read baseline) and a write
 * (PATCH /users/{user} with a description that changes on every request, compared with the
 * upsert baseline). quality.md sets no target for them: cases 1–2's targets are shown as indicative.
 */
import { accountsOf, ready, sideOf, json, type BenchCase } from "./common.js";

export const whoami: BenchCase = {
  name: "whoami",
  title: "GET /whoami (authenticated read)",
  baseline: "read",
  targets: "indicative",
  async prepare(ctx) {
    const server = await ctx.startIdhub({ name: "whoami" });
    const [me] = accountsOf(server);
    return ready(sideOf(server, "idhub", { method: "GET", path: "/whoami", headers: { Authorization: me!.secret }, keys: 1 }, ctx.settings.connections));
  },
};

export const patchUser: BenchCase = {
  name: "patch-user",
  title: "PATCH /users/{user} (description varies)",
  baseline: "write",
  targets: "indicative",
  async prepare(ctx) {
    const server = await ctx.startIdhub({ name: "patch-user" });
    const [me] = accountsOf(server);
    const spec = {
      method: "PATCH",
      path: `/users/${me!.user}`,
      headers: { Authorization: me!.secret, ...json },
      body: '{"description":{"n":{{n}}}}',
      keys: 1,
    };
    return ready(sideOf(server, "idhub", spec, ctx.settings.connections));
  },
};
