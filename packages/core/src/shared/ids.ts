import { randomBytes, randomUUID } from "node:crypto";
import { v7 } from "uuid";
import type { Ids } from "./ports.js";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// Random bytes drawn 4 KiB at a time: one randomBytes call (a getrandom syscall) per ~200 ids
// instead of one per id on the write path. Each byte is used once.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let next = 0;
const randomByte = (): number => {
  if (next === POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    next = 0;
  }
  return pool[next++]!;
};

/** 16 bytes of the pool (uuid's own v7 draws them with one getRandomValues call per id). */
const randomBytes16 = (): Uint8Array => {
  if (next + 16 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    next = 0;
  }
  return pool.subarray(next, (next += 16));
};

/**
 * An enmeshed-style id: a 3-letter prefix and 17 random characters from [A-Za-z0-9], uniformly
 * (bytes ≥ 248 are skipped so `% 62` has no bias).
 */
function enmeshedId(prefix: string): string {
  let id = prefix;
  while (id.length < 20) {
    const byte = randomByte();
    if (byte < 248) id += ALPHANUMERIC[byte % 62];
  }
  return id;
}

/** The production id source: the one place core draws ids from node:crypto. */
export const systemIds: Ids = { uuid: () => randomUUID(), orderedUuid: () => v7({ random: randomBytes16() }), enmeshedId };
