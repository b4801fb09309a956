import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { AppRouter } from "@idhub/api";
import { testDialects } from "@idhub/db/testing";
import { createTRPCClient, httpLink } from "@trpc/client";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { httpClient } from "../support/http.js";
import { withServer } from "../support/server.js";

// A disabled account's secrets are refused by the very next request on all three surfaces, and
// its data stays. Two cases, because the authentication path may cache credentials:
// - disabled in the server's own process (core.admin, the same store): the commit itself empties
//   any cache — tested on SQLite and PostgreSQL;
// - disabled by a separate `idhub account disable` process on the same SQLite file: the server
//   only learns of it through the database (SQLite's data_version) — tested on SQLite. (On
//   PostgreSQL another process's change is specified to reach a cache within 1 s; not tested here.)

type Surfaces = Record<"trustedtwin" | "connector" | "trpc", number>;

/** One request per surface with the account's secret: the HTTP status each answered. */
async function statuses(url: string, secret: string): Promise<Surfaces> {
  const http = httpClient(url);
  const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc`, headers: { authorization: secret } })] });
  const trpcStatus = await trpc.access.whoami.query().then(
    () => 200,
    (error: { data?: { httpStatus?: number } }) => error.data?.httpStatus ?? 0,
  );
  return {
    trustedtwin: (await http("GET", "/whoami", { secret })).status,
    connector: (await http("GET", "/api/v2/Account/IdentityInfo", { headers: { "x-api-key": secret } })).status,
    trpc: trpcStatus,
  };
}

const ALL_OK: Surfaces = { trustedtwin: 200, connector: 200, trpc: 200 };
const ALL_REFUSED: Surfaces = { trustedtwin: 401, connector: 401, trpc: 401 };

describe.each(testDialects)("account disable in the server's process (%s)", (dialect) => {
  const fx = withServer(dialect, { acme: "acme" });

  it("refuses the account's secrets on the next request of every surface; enabling restores them", async () => {
    expect(await statuses(fx.server.url, fx.acme.secret)).toEqual(ALL_OK);
    await fx.server.core.admin.setAccountDisabled({ account: fx.acme.account.id, disabled: true });
    expect(await statuses(fx.server.url, fx.acme.secret)).toEqual(ALL_REFUSED);
    await fx.server.core.admin.setAccountDisabled({ account: fx.acme.account.id, disabled: false });
    expect(await statuses(fx.server.url, fx.acme.secret)).toEqual(ALL_OK);
  });
});

describe("account disable by a separate idhub process (sqlite file)", { timeout: 90_000 }, () => {
  let dir: string;
  let url: string;
  let server: RunningServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "idhub-disable-"));
    url = `file:${join(dir, "idhub.sqlite")}`;
    server = await startServer({
      config: loadConfig({ PORT: "0", IDHUB_DATABASE_URL: url }),
      logger: pino({ level: "silent" }),
      bootstrapSecretFile: join(dir, "bootstrap-secret.txt"),
      stdout: { write: () => true },
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const idhub = (...args: string[]) =>
    promisify(execFile)("node", ["--conditions=@idhub/source", "--import", "tsx", "src/cli.ts", ...args], {
      cwd: resolve(import.meta.dirname, "../.."),
      env: { ...process.env, IDHUB_DATABASE_URL: url, LOG_LEVEL: "silent" },
    });

  it("takes effect with the server's next request on every surface, and keeps the data", async () => {
    const acme = await server.core.admin.createAccount({ name: "acme" });
    const other = await server.core.admin.createAccount({ name: "other" });
    const http = httpClient(server.url);
    const twin = (await http("POST", "/twins", { secret: acme.secret, body: { description: { kept: true } } })).body.creation_certificate.uuid;
    expect(await statuses(server.url, acme.secret)).toEqual(ALL_OK); // warms any credential cache

    const disabled = JSON.parse((await idhub("account", "disable", "--account", acme.account.id, "--json")).stdout);
    expect(disabled.status).toBe("disabled");
    expect(await statuses(server.url, acme.secret)).toEqual(ALL_REFUSED);
    // Other accounts are untouched, and the disabled account's data stays.
    expect(await statuses(server.url, other.secret)).toEqual(ALL_OK);
    const seen = await http("GET", `/twins/${twin}`, { secret: other.secret });
    expect([seen.status, seen.body.description]).toEqual([200, { kept: true }]);

    await idhub("account", "enable", "--account", acme.account.id);
    expect(await statuses(server.url, acme.secret)).toEqual(ALL_OK);
    expect((await http("GET", `/twins/${twin}`, { secret: acme.secret })).body.description).toEqual({ kept: true });
  });
});
