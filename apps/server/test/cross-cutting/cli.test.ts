import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startServer } from "../../src/server.js";

const exec = promisify(execFile);
const serverDir = resolve(import.meta.dirname, "../..");

describe("idhub CLI", () => {
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

  it("migrate is idempotent", async () => {
    expect((await idhub("migrate")).stdout.trim()).toBe("database is up to date");
    expect((await idhub("migrate")).stdout.trim()).toBe("database is up to date");
  });

  it("every command has the same --help layout, on stdout with status 0", async () => {
    for (const command of [["start"], ["migrate"], ["account", "create"], ["secret", "create"]]) {
      const { stdout } = await idhub(...command, "--help");
      expect(stdout).toMatch(new RegExp(`^usage: idhub ${command.join(" ")} .*\\[--json\\]\n`));
      expect(stdout).toContain("--help");
      expect(stdout).toContain("exit codes: 0 ok, 1 failed, 2 usage error, 3 not found");
    }
    expect((await idhub("--help")).stdout).toContain("account create");
  });

  it("with --json, a mistake is reported as JSON on stderr", async () => {
    await expect(idhub("account", "create", "--bogus", "--json")).rejects.toMatchObject({ code: 2, stdout: "" });
    const failure = await idhub("account", "create", "--bogus", "--json").catch((error) => error);
    expect(JSON.parse(failure.stderr)).toEqual({ error: { exitCode: 2, code: "usage", message: "Unknown option '--bogus'" } });
  });

  it("reports usage mistakes with status 2 and bad configuration with status 1", async () => {
    await expect(idhub("account", "create")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("--name") });
    await expect(idhub("fly")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("usage: idhub") });
    env = { ...env, PORT: "eighty" };
    await expect(idhub("migrate")).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("PORT") });
  });
});
