import { readFileSync } from "node:fs";
import { defineCommand } from "../command.js";

// This file runs from src/cli/commands/, dist/cli/commands/ and the one-file bundle dist/idhub.js:
// the package's own package.json is the nearest one above it.
function ownPackage(): { version: string } {
  for (let dir = new URL(".", import.meta.url); ; dir = new URL("..", dir)) {
    try {
      return JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { version: string };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || dir.pathname === "/") throw error;
    }
  }
}
const pkg = ownPackage();

export const version = defineCommand({
  name: "version",
  summary: "print the idhub and Node.js versions",
  options: {},
  details: "--json prints {idhub, node}. Needs no configuration and no database.",
  async run({ out }) {
    out.result({ idhub: pkg.version, node: process.versions.node }, `idhub ${pkg.version} (node ${process.versions.node})`);
  },
});
