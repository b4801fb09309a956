import { defineCommand } from "../command.js";
import { withDatabase } from "../database.js";
import { accountJson, table } from "../format.js";

export const accountList = defineCommand({
  name: "account list",
  summary: "list every account with its status",
  options: {},
  details: "--json prints an array of {id, name, address, status, createdAt, disabledAt}.",
  async run({ config, out }) {
    const accounts = (await withDatabase(config(), (core) => core.admin.listAccounts())).map(accountJson);
    out.result(
      accounts,
      accounts.length === 0 ? "no accounts" : table(["ID", "NAME", "STATUS", "CREATED"], accounts.map((a) => [a.id, a.name, a.status, a.createdAt])),
    );
  },
});
