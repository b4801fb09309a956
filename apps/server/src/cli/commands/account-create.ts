import { defineCommand } from "../command.js";
import { withDatabase } from "../database.js";

export const accountCreate = defineCommand({
  name: "account create",
  summary: "create an account with a Super Admin user and print its secret once",
  options: { name: { type: "string", value: "name", help: "the account's name", required: true } },
  details: "--json prints {account, address, user, role, secret}.",
  async run({ options, config, out }) {
    await withDatabase(config(), async (core) => {
      const created = await core.admin.createAccount({ name: options.name });
      const result = {
        account: created.account.id,
        address: created.account.address,
        user: created.user.id,
        role: created.role.id,
        secret: created.secret,
      };
      out.result(result, [
        `Created account "${created.account.name}" ${result.account}`,
        `  address: ${result.address}`,
        `  Super Admin user: ${result.user} (role ${result.role})`,
        `  secret (shown once): ${result.secret}`,
      ]);
    });
  },
});
