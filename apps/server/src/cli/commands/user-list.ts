import { defineCommand } from "../command.js";
import { withDatabase } from "../database.js";
import { iso, table } from "../format.js";

export const userList = defineCommand({
  name: "user list",
  summary: "list the users of an account",
  options: { account: { type: "string", value: "id", help: "the account id", required: true } },
  details: "--json prints an array of {id, name, role, createdAt}. Unknown account: exit 3.",
  async run({ options, config, out }) {
    const users = await withDatabase(config(), (core) => core.admin.listUsers({ account: options.account }));
    const shown = users.map((u) => ({ id: u.id, name: u.name, role: u.role, createdAt: iso(u.createdAt) }));
    out.result(
      shown,
      shown.length === 0 ? "no users" : table(["ID", "NAME", "ROLE", "CREATED"], shown.map((u) => [u.id, u.name ?? "-", u.role, u.createdAt])),
    );
  },
});
