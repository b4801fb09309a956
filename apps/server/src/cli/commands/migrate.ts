import { defineCommand } from "../command.js";
import { withDatabase } from "../database.js";

export const migrate = defineCommand({
  name: "migrate",
  summary: "apply database migrations and exit",
  options: {},
  async run({ config, out }) {
    await withDatabase(config(), async () => {
      out.result({ upToDate: true }, "database is up to date");
    });
  },
});
