import { createHash, randomBytes } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * An enmeshed-style id: a 3-letter prefix and 17 random characters from [A-Za-z0-9], uniformly
 * (bytes ≥ 248 are skipped so `% 62` has no bias). One randomBytes call per id on the hot path.
 */
export function newId(prefix: "REL" | "RLT" | "TOK" | "IDM"): string {
  let id = prefix;
  while (id.length < 20) {
    for (const byte of randomBytes(24)) {
      if (byte < 248) id += ALPHANUMERIC[byte % 62];
      if (id.length === 20) break;
    }
  }
  return id;
}

/** A fresh 32-byte secret key (XCHACHA20_POLY1305 size), base64url without padding: 43 characters. */
export const newSecretKey = (): string => randomBytes(32).toString("base64url");

/**
 * The one "device" of an account (`DVC…`): accounts have no devices here, so it is derived from the
 * account id, stable across calls and processes.
 */
export function deviceIdOf(account: string): string {
  const digest = createHash("sha256").update(`device:${account}`).digest();
  let id = "DVC";
  for (let i = 0; i < 17; i++) id += ALPHANUMERIC[digest[i]! % 62];
  return id;
}
