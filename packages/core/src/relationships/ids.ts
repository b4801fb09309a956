import { createHash, randomBytes } from "node:crypto";

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

/**
 * An enmeshed-style id: a 3-letter prefix and 17 random characters from [A-Za-z0-9], uniformly
 * (bytes ≥ 248 are skipped so `% 62` has no bias).
 */
export function newId(prefix: "REL" | "RLT" | "TOK" | "IDM"): string {
  let id = prefix;
  while (id.length < 20) {
    const byte = randomByte();
    if (byte < 248) id += ALPHANUMERIC[byte % 62];
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
