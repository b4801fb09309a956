import { defineCommand } from "../command.js";
import { withDatabase } from "../database.js";
import { accountJson } from "../format.js";

export const accountShow = defineCommand({
  name: "account show",
  summary: "show one account: address, status, number of users",
  options: { account: { type: "string", value: "id", help: "the account id", required: true } },
  details: "--json prints {id, name, address, status, createdAt, disabledAt, users}. Unknown account: exit 3.",
  async run({ options, config, out }) {
    const details = await withDatabase(config(), (core) => core.admin.showAccount({ account: options.account }));
    const shown = { ...accountJson(details), users: details.users };
    out.result(shown, [
      `account ${shown.id} "${shown.name}"`,
      `  address: ${shown.address}`,
      `  status:  ${shown.status}${shown.disabledAt ? ` since ${shown.disabledAt}` : ""}`,
      `  created: ${shown.createdAt}`,
      `  users:   ${shown.users}`,
    ]);
  },
});
