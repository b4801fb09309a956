import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startServer } from "../../src/server.js";
import { cli } from "../support/cli.js";

const exec = promisify(execFile);
const serverDir = resolve(import.meta.dirname, "../..");

// The CLI as a real process (as `pnpm idhub` runs it); every command in-process: cli-commands.test.ts.
// Each test spawns real `node --import tsx` processes (seconds each on a loaded machine): generous timeouts.
describe("idhub CLI", { timeout: 90_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  /** Runs the CLI from source, as `pnpm idhub` runs the compiled one. */
  const idhub = (...args: string[]) =>
    exec("node", ["--conditions=@idhub/source", "--import", "tsx", "src/cli.ts", ...args], { cwd: serverDir, env });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "idhub-cli-test-"));
    env = { ...process.env, IDHUB_DATABASE_URL: `file:${join(dir, "idhub.sqlite")}`, LOG_LEVEL: "silent" };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("account create --json prints {account, address, user, role, secret}, and the secret works", async () => {
    const { stdout } = await idhub("account", "create", "--name", "acme", "--json");
    const created = JSON.parse(stdout);
    expect(Object.keys(created)).toEqual(["account", "address", "user", "role", "secret"]);
    expect(created.address).toMatch(/^did:e:localhost:dids:[0-9a-f]{22}$/);

    const { stdout: second } = await idhub("secret", "create", "--account", created.account, "--user", created.user, "--json");
    const { secret } = JSON.parse(second);
    expect(secret).not.toBe(created.secret);

    const server = await startServer({
      config: loadConfig({ PORT: "0", IDHUB_DATABASE_URL: env.IDHUB_DATABASE_URL }),
      logger: pino({ level: "silent" }),
      bootstrapSecretFile: join(dir, "bootstrap-secret.txt"),
      stdout: { write: () => true },
    });
    try {
      const whoami = await fetch(`${server.url}/whoami`, { headers: { authorization: secret } });
      expect(await whoami.json()).toEqual({ account: created.account, user: created.user, role: created.role });
      // Issuing replaced the first secret.
      expect((await fetch(`${server.url}/whoami`, { headers: { authorization: created.secret } })).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it("events tail follows the feed as new events commit, and ends with exit 0 on SIGTERM", async () => {
    const acme = JSON.parse((await idhub("account", "create", "--name", "tailed", "--json")).stdout);
    const tail = spawn("node", ["--conditions=@idhub/source", "--import", "tsx", "src/cli.ts", "events", "tail", "--account", acme.account, "--interval", "100", "--json"], {
      cwd: serverDir,
      env,
    });
    let out = "";
    tail.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()));
    const seen = (type: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => out.split("\n").some((line) => line.includes(`"type":"${type}"`)) && resolve();
        tail.stdout.on("data", check);
        tail.once("exit", (code) => reject(new Error(`tail exited (${code}) before ${type}: ${out}`)));
        check();
      });
    await seen("account.created");
    // A separate invocation (its own connection) commits an event while tail is following.
    expect((await cli({ IDHUB_DATABASE_URL: env.IDHUB_DATABASE_URL! }, "account", "disable", "--account", acme.account)).code).toBe(0);
    await seen("account.disabled");
    const exited = new Promise<number | null>((resolve) => tail.once("exit", resolve));
    tail.kill("SIGTERM");
    expect(await exited).toBe(0);
    const types = out.trim().split("\n").map((line) => JSON.parse(line).type);
    expect(types.filter((t) => t.startsWith("account."))).toEqual(["account.created", "account.disabled"]);
  });

  it("migrate is idempotent", async () => {
    expect((await idhub("migrate")).stdout.trim()).toBe("database is up to date");
    expect((await idhub("migrate")).stdout.trim()).toBe("database is up to date");
  });

  it("reports usage mistakes with status 2 and bad configuration with status 1", async () => {
    await expect(idhub("account", "create")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("--name") });
    await expect(idhub("fly")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("usage: idhub") });
    env = { ...env, PORT: "eighty" };
    await expect(idhub("migrate")).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("PORT") });
  });
});
