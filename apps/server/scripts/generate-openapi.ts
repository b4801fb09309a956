// Writes the committed OpenAPI document (apps/server/openapi.json) from the route tables.
// CI regenerates it and fails when the committed copy differs: `pnpm generate` and commit.
import { writeFile } from "node:fs/promises";
import type { Core } from "@idhub/core";
import { pino } from "pino";
import { createApp } from "../src/app.js";

// Registering routes never calls core; this stand-in proves it by refusing every use.
const core = new Proxy({} as Core, {
  get() {
    throw new Error("generating the OpenAPI document must not call core");
  },
});

const response = await createApp({ core, logger: pino({ level: "silent" }) }).request("/openapi.json");
if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
const target = new URL("../openapi.json", import.meta.url);
await writeFile(target, `${JSON.stringify(await response.json(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
