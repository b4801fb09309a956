import { defineCommand } from "../command.js";
import { withDatabase } from "../database.js";

export const secretRevoke = defineCommand({
  name: "secret revoke",
  summary: "delete a user's secret: it stops working at once (the user stays)",
  options: {
    account: { type: "string", value: "id", help: "the account id", required: true },
    user: { type: "string", value: "id", help: "the user id", required: true },
  },
  details: "Unknown user, or a user without a secret: exit 3. `secret create` issues a new one.",
  async run({ options, config, out }) {
    await withDatabase(config(), (core) => core.admin.revokeSecret({ account: options.account, user: options.user }));
    out.result({ account: options.account, user: options.user, revoked: true }, `secret of user ${options.user} revoked`);
  },
});
