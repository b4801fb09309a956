import { defineCommand } from "../command.js";
import { withDatabase } from "../database.js";
import { accountJson } from "../format.js";

export const accountEnable = defineCommand({
  name: "account enable",
  summary: "enable a disabled account again: its secrets work again",
  options: { account: { type: "string", value: "id", help: "the account id", required: true } },
  async run({ options, config, out }) {
    const status = await withDatabase(config(), (core) => core.admin.setAccountDisabled({ account: options.account, disabled: false }));
    out.result(accountJson(status), `account ${status.id} is enabled`);
  },
});
