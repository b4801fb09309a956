import { defineCommand } from "../command.js";
import { withDatabase } from "../database.js";
import { accountJson } from "../format.js";

export const accountDisable = defineCommand({
  name: "account disable",
  summary: "disable an account: its secrets stop working at once, its data stays",
  options: { account: { type: "string", value: "id", help: "the account id", required: true } },
  details:
    "Every surface refuses the account's secrets from the next request on (401). A running server on\n" +
    "SQLite notices at once; on PostgreSQL within a second. `account enable` restores them.",
  async run({ options, config, out }) {
    const status = await withDatabase(config(), (core) => core.admin.setAccountDisabled({ account: options.account, disabled: true }));
    out.result(accountJson(status), `account ${status.id} is disabled`);
  },
});
