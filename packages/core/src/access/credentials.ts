import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** 64 characters of base64 (letters, digits, `+`, `/`): 384 bits of randomness, like Trusted Twin's. */
export const newSecret = (): string => randomBytes(48).toString("base64");

const PIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const newPin = (): string => Array.from({ length: 6 }, () => PIN_ALPHABET[randomInt(PIN_ALPHABET.length)]).join("");

export const hashCredential = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex");

export const fingerprintOf = (secret: string): string => secret.slice(-4);

/** Constant-time equality of two hex hashes of the same length. */
export const sameHash = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));

/** A fresh 32-byte secret key (XCHACHA20_POLY1305 size) for a template or token, base64url without padding: 43 characters. */
export const newSecretKey = (): string => randomBytes(32).toString("base64url");
