import { readFileSync } from "node:fs";
import { defineCommand } from "../command.js";

// src/cli/commands/ and dist/cli/commands/ both sit three levels below the package.
const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };

export const version = defineCommand({
  name: "version",
  summary: "print the idhub and Node.js versions",
  options: {},
  details: "--json prints {idhub, node}. Needs no configuration and no database.",
  async run({ out }) {
    out.result({ idhub: pkg.version, node: process.versions.node }, `idhub ${pkg.version} (node ${process.versions.node})`);
  },
});
