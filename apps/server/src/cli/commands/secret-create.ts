import { defineCommand } from "../command.js";
import { withDatabase } from "../database.js";

export const secretCreate = defineCommand({
  name: "secret create",
  summary: "issue a new secret for a user (replaces the old one) and print it once",
  options: {
    account: { type: "string", value: "id", help: "the account id", required: true },
    user: { type: "string", value: "id", help: "the user id", required: true },
  },
  async run({ options, config, out }) {
    await withDatabase(config(), async (core) => {
      const issued = await core.admin.issueSecret({ account: options.account, user: options.user });
      out.result({ account: options.account, user: options.user, secret: issued.secret }, `secret (shown once): ${issued.secret}`);
    });
  },
});
