import { randomBytes, randomUUID } from "node:crypto";
import type { Ids } from "./ports.js";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * An enmeshed-style id: a 3-letter prefix and 17 random characters from [A-Za-z0-9], uniformly
 * (bytes ≥ 248 are skipped so `% 62` has no bias). One randomBytes call per id on the hot path.
 */
function enmeshedId(prefix: string): string {
  let id = prefix;
  while (id.length < 20) {
    for (const byte of randomBytes(24)) {
      if (byte < 248) id += ALPHANUMERIC[byte % 62];
      if (id.length === 20) break;
    }
  }
  return id;
}

/** The production id source: the one place core draws ids from node:crypto. */
export const systemIds: Ids = { uuid: () => randomUUID(), enmeshedId };
