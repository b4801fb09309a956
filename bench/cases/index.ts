/** All cases, in the order they run. */
import type { BenchCase } from "./common.js";
import { identitiesPatch } from "./identities.js";
import { identityMetadata, identityMetadataSyncFull } from "./identity-metadata.js";
import { trpcPeer } from "./peer.js";
import { pg1, pg1Spread, pg2, pg2Spread } from "./postgres.js";
import { resolve } from "./resolve.js";
import { patchUser, whoami } from "./smoke.js";
import { trpcBatch, trpcSingle } from "./trpc.js";
import { workersResolve, workersWhoami } from "./workers.js";

// The peer first (every case's "× peer" needs it); the smoke cases, which have no targets, last.
export const CASES: BenchCase[] = [trpcPeer, identityMetadata, identitiesPatch, trpcSingle, trpcBatch, resolve, pg1, pg2, pg1Spread, pg2Spread, identityMetadataSyncFull, workersWhoami, workersResolve, whoami, patchUser];
