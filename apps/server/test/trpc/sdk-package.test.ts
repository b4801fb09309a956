import { execFile } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPackedSdk, REPO_ROOT, type ConsumerProject } from "../support/packed-sdk.js";
import { startTestServer, type TestServer } from "../support/server.js";

const run = promisify(execFile);
const tsc = join(REPO_ROOT, "node_modules/typescript/bin/tsc");

// The SDK as a consumer gets it: packed, installed from the tarball into a project outside the
// workspace, type-checked strictly (skipLibCheck off) and run against a real server.
describe("@idhub/sdk as a published package", () => {
  let server: TestServer;
  let consumer: ConsumerProject;
  let project: string;

  beforeAll(async () => {
    consumer = await installPackedSdk();
    project = consumer.dir;
    server = await startTestServer();
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await consumer?.remove();
  });

  it("ships one declaration file whose only imports are @trpc/*", async () => {
    const dts = await readFile(join(project, "node_modules/@idhub/sdk/dist/index.d.ts"), "utf8");
    const sources = [...dts.matchAll(/(?:from|import)\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((s) => s!.startsWith("@trpc/"))).toBe(true);
    const installed = await readdir(join(project, "node_modules/@idhub"));
    expect(installed).toEqual(["sdk"]);
  });

  it("type-checks a usage file strictly and runs it against a real server", async () => {
    await writeFile(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022", "DOM", "ESNext.Disposable"],
          strict: true, skipLibCheck: false, outDir: "out", types: [],
        },
        files: ["usage.ts"],
      }),
    );
    await writeFile(
      join(project, "usage.ts"),
      `import { createClient, errorCode } from "@idhub/sdk";

const client = createClient({ url: ${JSON.stringify(server.url)}, apiKey: ${JSON.stringify(server.bootstrapSecret)} });
const me = await client.access.whoami.query();
const account: string = me.account;
const role = await client.access.roles.create.mutate({ name: "reader", statement: { effect: "allow", actions: ["get_users"] } });
const effect: "allow" | "deny" = role.statement.effect;
// Never called: these lines only have to fail type-checking.
export const mistakes = () => [
  // @ts-expect-error procedures that do not exist do not type-check
  client.access.noSuchProcedure,
  // @ts-expect-error inputs are typed: a role name must be a string
  client.access.roles.create.mutate({ name: 42 }),
];
let failure: string | undefined;
try {
  await client.access.roles.get.query({ id: "00000000-0000-4000-8000-000000000000" });
} catch (error) {
  failure = errorCode(error);
}
console.log(JSON.stringify({ account, role: role.name, effect, failure }));
`,
    );
    const compiled = await run("node", [tsc, "-p", "tsconfig.json"], { cwd: project }).catch((e: { stdout: string }) => e);
    expect((compiled as { stdout: string }).stdout).toBe("");
    const { stdout } = await run("node", ["out/usage.js"], { cwd: project });
    const whoami = await server.core.access.authenticate({ secret: server.bootstrapSecret, client: "test" });
    expect(JSON.parse(stdout)).toEqual({ account: whoami.account, role: "reader", effect: "allow", failure: "access.role.notFound" });
  }, 120_000);
});
