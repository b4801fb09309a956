import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { cli, json } from "../support/cli.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("every idhub command (in-process, on a fresh SQLite file)", () => {
  let dir: string;
  let env: Record<string, string>;
  let acme: { account: string; address: string; user: string; role: string; secret: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "idhub-cli-commands-"));
    env = { IDHUB_DATABASE_URL: `file:${join(dir, "idhub.sqlite")}` };
    acme = json(await cli(env, "account", "create", "--name", "acme", "--json"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("each has the same --help layout (stdout, exit 0) and refuses an unknown flag with exit 2", async () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining([
      "start", "migrate", "account create", "account list", "account show", "account disable", "account enable",
      "user list", "secret create", "secret revoke", "events tail", "doctor", "version",
    ]));
    for (const command of COMMANDS) {
      const words = command.name.split(" ");
      const help = await cli(env, ...words, "--help");
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: idhub ${command.name}( .*)? \\[--json\\]\\n\\n${command.summary.replace(/[()[\]]/g, "\\$&")}\\n\\noptions:\\n`));
      expect(help.stdout).toContain("  --json ");
      expect(help.stdout).toContain("exit codes: 0 ok, 1 failed, 2 usage error, 3 not found");

      const bad = await cli(env, ...words, "--bogus");
      expect(bad.code, command.name).toBe(2);
      expect(bad.stderr).toContain("idhub: Unknown option '--bogus'");
      expect(bad.stderr).toContain(`usage: idhub ${command.name}`);
      const badJson = await cli(env, ...words, "--bogus", "--json");
      expect(JSON.parse(badJson.stderr)).toEqual({ error: { exitCode: 2, code: "usage", message: expect.stringMatching(/^Unknown option '--bogus'/) } });
    }
    const all = await cli(env, "--help");
    expect(all.code).toBe(0);
    for (const command of COMMANDS) expect(all.stdout).toContain(`  ${command.name.padEnd(18)} ${command.summary}`);
    expect((await cli(env, "fly")).code).toBe(2);
    expect((await cli(env)).code).toBe(2);
  });

  it("a missing required option names it (exit 2)", async () => {
    const run = await cli(env, "account", "show");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("account show needs --account <id>");
  });

  it("migrate", async () => {
    expect(await cli(env, "migrate")).toEqual({ code: 0, stdout: "database is up to date\n", stderr: "" });
    expect(json(await cli(env, "migrate", "--json"))).toEqual({ upToDate: true });
  });

  it("account create", async () => {
    expect(acme.address).toMatch(/^did:e:localhost:dids:[0-9a-f]{22}$/);
    const human = await cli(env, "account", "create", "--name", "beta");
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Created account "beta" [0-9a-f-]{36}\n  address: did:e:localhost:dids:[0-9a-f]{22}\n  Super Admin user: .*\n  secret \(shown once\): \S+\n$/);
  });

  it("account list", async () => {
    const listed = json(await cli(env, "account", "list", "--json"));
    expect(listed[0]).toEqual({ id: acme.account, name: "acme", address: acme.address, status: "enabled", createdAt: expect.stringMatching(ISO), disabledAt: null });
    const human = await cli(env, "account", "list");
    expect(human.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+STATUS\s+CREATED$/);
    expect(human.stdout).toMatch(new RegExp(`${acme.account}\\s+acme\\s+enabled\\s+\\d{4}-`));
  });

  it("account show (unknown account: exit 3; not a UUID: exit 1)", async () => {
    expect(json(await cli(env, "account", "show", "--account", acme.account, "--json"))).toMatchObject({ id: acme.account, status: "enabled", users: 1 });
    const human = await cli(env, "account", "show", "--account", acme.account);
    expect(human.stdout).toContain(`account ${acme.account} "acme"\n  address: ${acme.address}\n  status:  enabled\n`);
    const unknown = await cli(env, "account", "show", "--account", "00000000-0000-4000-8000-000000000000");
    expect(unknown).toMatchObject({ code: 3, stdout: "", stderr: "idhub: Account not found.\n" });
    const unknownJson = await cli(env, "account", "show", "--account", "00000000-0000-4000-8000-000000000000", "--json");
    expect(JSON.parse(unknownJson.stderr)).toEqual({ error: { exitCode: 3, code: "access.account.notFound", message: "Account not found." } });
    expect((await cli(env, "account", "show", "--account", "nope")).code).toBe(1);
  });

  it("account disable / enable (idempotent; the change is in the feed)", async () => {
    const beta = json(await cli(env, "account", "create", "--name", "toggle", "--json"));
    const disabled = json(await cli(env, "account", "disable", "--account", beta.account, "--json"));
    expect(disabled).toMatchObject({ id: beta.account, status: "disabled", disabledAt: expect.stringMatching(ISO) });
    const again = await cli(env, "account", "disable", "--account", beta.account);
    expect(again).toEqual({ code: 0, stdout: `account ${beta.account} is disabled\n`, stderr: "" });
    expect(json(await cli(env, "account", "show", "--account", beta.account, "--json")).disabledAt).toBe(disabled.disabledAt);
    expect(await cli(env, "account", "enable", "--account", beta.account)).toEqual({ code: 0, stdout: `account ${beta.account} is enabled\n`, stderr: "" });
    expect(json(await cli(env, "account", "enable", "--account", beta.account, "--json"))).toMatchObject({ status: "enabled", disabledAt: null });
    const feed = (await cli(env, "events", "tail", "--account", beta.account, "--once", "--json")).stdout.trim().split("\n").map((l) => JSON.parse(l).type);
    expect(feed.filter((t) => t.startsWith("account."))).toEqual(["account.created", "account.disabled", "account.enabled"]);
    expect((await cli(env, "account", "disable", "--account", "00000000-0000-4000-8000-000000000000")).code).toBe(3);
  });

  it("user list", async () => {
    expect(json(await cli(env, "user", "list", "--account", acme.account, "--json"))).toEqual([
      { id: acme.user, name: "Super Admin", role: acme.role, createdAt: expect.stringMatching(ISO) },
    ]);
    const human = await cli(env, "user", "list", "--account", acme.account);
    expect(human.stdout).toMatch(new RegExp(`^ID\\s+NAME\\s+ROLE\\s+CREATED\\n${acme.user}\\s+Super Admin\\s+${acme.role}\\s+\\d{4}-`));
    expect((await cli(env, "user", "list", "--account", "00000000-0000-4000-8000-000000000000")).code).toBe(3);
  });

  it("secret create and secret revoke (no secret left: exit 3)", async () => {
    const user = json(await cli(env, "account", "create", "--name", "secrets", "--json"));
    const issued = json(await cli(env, "secret", "create", "--account", user.account, "--user", user.user, "--json"));
    expect(issued).toEqual({ account: user.account, user: user.user, secret: expect.any(String) });
    expect((await cli(env, "secret", "create", "--account", user.account, "--user", user.user)).stdout).toMatch(/^secret \(shown once\): \S+\n$/);
    expect(json(await cli(env, "secret", "revoke", "--account", user.account, "--user", user.user, "--json"))).toEqual({
      account: user.account,
      user: user.user,
      revoked: true,
    });
    const none = await cli(env, "secret", "revoke", "--account", user.account, "--user", user.user);
    expect(none).toEqual({ code: 3, stdout: "", stderr: "idhub: The user has no secret.\n" });
    await cli(env, "secret", "create", "--account", user.account, "--user", user.user);
    expect((await cli(env, "secret", "revoke", "--account", user.account, "--user", user.user)).stdout).toBe(`secret of user ${user.user} revoked\n`);
  });

  it("events tail --once, human and JSON, from a seq on", async () => {
    const human = (await cli(env, "events", "tail", "--account", acme.account, "--once")).stdout.trim().split("\n");
    expect(human[0]).toMatch(new RegExp(`^1 \\d{4}-\\S+Z account.created ${acme.account} by system$`));
    const lines = (await cli(env, "events", "tail", "--account", acme.account, "--once", "--json")).stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.length).toBe(human.length);
    expect(lines[0]).toEqual({ seq: 1, id: expect.stringMatching(UUID), type: "account.created", subject: acme.account, actor: null, at: expect.stringMatching(ISO), data: { name: "acme" } });
    const later = (await cli(env, "events", "tail", "--account", acme.account, "--once", "--after", "1", "--json")).stdout.trim().split("\n");
    expect(later.length).toBe(lines.length - 1);
    expect((await cli(env, "events", "tail", "--account", acme.account, "--after", "-1")).code).toBe(2);
    expect((await cli(env, "events", "tail", "--account", "00000000-0000-4000-8000-000000000000", "--once")).code).toBe(3);
  });

  it("doctor: every check passes on a healthy database (exit 0), a failure is exit 1", async () => {
    const report = json(await cli(env, "doctor", "--json"));
    expect(report.ok).toBe(true);
    expect(report.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ["configuration", true],
      ["database", true],
      ["migrations", true],
      ["wal", true],
      ["clock", true],
    ]);
    const human = await cli(env, "doctor");
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^ok {4}configuration .*\nok {4}database +sqlite answers\nok {4}migrations +\d+ applied, none pending\nok {4}wal .*\nok {4}clock .*database differs by -?\d+ ms\n$/);

    const fresh = await cli({ IDHUB_DATABASE_URL: `file:${join(dir, "never-migrated.sqlite")}` }, "doctor", "--json");
    expect(fresh.code).toBe(1);
    expect(json(fresh).checks.find((c: { name: string }) => c.name === "migrations")).toMatchObject({ ok: false, detail: expect.stringContaining("0001_access") });

    const badConfig = await cli({ ...env, PORT: "eighty" }, "doctor");
    expect(badConfig.code).toBe(1);
    expect(badConfig.stdout).toMatch(/^FAIL {2}configuration +Invalid configuration: PORT/);

    const down = await cli({ IDHUB_DATABASE_URL: "postgres://nobody:pw@127.0.0.1:1/none" }, "doctor", "--json");
    expect(down.code).toBe(1);
    expect(down.stdout).not.toContain("pw@");
    expect(json(down).checks.find((c: { name: string }) => c.name === "database").ok).toBe(false);
  });

  it("version (needs no configuration)", async () => {
    expect(json(await cli({ PORT: "eighty" }, "version", "--json"))).toEqual({ idhub: "0.1.0", node: process.versions.node });
    expect((await cli({}, "version")).stdout).toBe(`idhub 0.1.0 (node ${process.versions.node})\n`);
  });

  it("start refuses a bad configuration with exit 1 before serving", async () => {
    const run = await cli({ ...env, PORT: "eighty" }, "start");
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toContain("PORT");
  });
});
