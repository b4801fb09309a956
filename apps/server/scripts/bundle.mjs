// `pnpm build`'s second step (after tsc): bundles the compiled CLI (dist/cli.js and everything it
// imports, the workspace packages' dist and the dependencies) into one file, dist/idhub.js, which
// bin/idhub.js runs. Why: module loading dominated cold start. Unbundled, `idhub start` loads ~900
// files (kysely alone ~260, zod ~95); resolving, reading and compiling them took ~0.6 s of CPU of a
// ~1.05 s start on a quiet machine. One file takes ~0.1 s (bench/README.md, "Cold start").
//
// The library entry (dist/index.js, what `@idhub/server` exports) stays tsc's unbundled output.
import { build } from "esbuild";

await build({
  entryPoints: [new URL("../dist/cli.js", import.meta.url).pathname],
  outfile: new URL("../dist/idhub.js", import.meta.url).pathname,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Source maps for `node --enable-source-maps` (stack traces into the original TypeScript).
  sourcemap: true,
  external: [
    // A native addon, found at run time by `bindings` relative to its own package: loaded from
    // node_modules (hence a dependency of this package).
    "better-sqlite3",
    // pg's optional native client, which pg requires inside a try/catch; not installed.
    "pg-native",
  ],
  // Bundled CommonJS dependencies (pino, pg, ajv, prom-client, …) call require() for Node's modules.
  banner: { js: 'import { createRequire as __idhubCreateRequire } from "node:module";\nconst require = __idhubCreateRequire(import.meta.url);' },
  logLevel: "warning",
});
