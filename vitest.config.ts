import { defineConfig } from "vitest/config";

// One config for the whole monorepo: tests import workspace packages from source
// through the "@idhub/source" export condition, so nothing has to be built first.
export default defineConfig({
  resolve: { conditions: ["@idhub/source"] },
  ssr: { resolve: { conditions: ["@idhub/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
