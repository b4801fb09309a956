/** All cases, in the order they run. */
import type { BenchCase } from "./common.js";
import { identitiesPatch } from "./identities.js";
import { identityMetadata } from "./identity-metadata.js";
import { pg1, pg2 } from "./postgres.js";
import { resolve } from "./resolve.js";
import { patchUser, whoami } from "./smoke.js";
import { trpcBatch, trpcSingle } from "./trpc.js";

export const CASES: BenchCase[] = [whoami, patchUser, identityMetadata, identitiesPatch, trpcSingle, trpcBatch, resolve, pg1, pg2];
