import { createHash } from "node:crypto";

// The shapes of the Connector's ids (patterns as upstream writes them: the messages show them),
// and the one derived id. New ids come from the Ids port (deps.ids.enmeshedId).

export const RELATIONSHIP_ID = "REL[A-Za-z0-9]{17}";
export const TEMPLATE_ID = "RLT[A-Za-z0-9]{17}";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * The one "device" of an account (`DVC…`): accounts have no devices here, so it is derived from the
 * account id — a hash, not a random id — stable across calls and processes.
 */
export function deviceIdOf(account: string): string {
  const digest = createHash("sha256").update(`device:${account}`).digest();
  let id = "DVC";
  for (let i = 0; i < 17; i++) id += ALPHANUMERIC[digest[i]! % 62];
  return id;
}
