import { fileURLToPath } from "node:url";
import { dts } from "rollup-plugin-dts";

const packagesDir = fileURLToPath(new URL("..", import.meta.url));
const workspacePackages = { "@idhub/api": "api", "@idhub/core": "core" };

/** Resolves our workspace packages to their built declaration files, so they get inlined. */
const workspaceTypes = {
  name: "idhub-workspace-types",
  resolveId(source) {
    const folder = workspacePackages[source];
    return folder ? `${packagesDir}${folder}/dist/index.d.ts` : null;
  },
};

// Bundles the router types (from @idhub/api and @idhub/core) into one declaration file, so the
// published package needs nothing of the server: its only type imports are @trpc/*.
export default {
  input: "dist/types/index.d.ts",
  output: { file: "dist/index.d.ts", format: "es" },
  external: [/^@trpc\//],
  plugins: [workspaceTypes, dts({ respectExternal: true })],
};
