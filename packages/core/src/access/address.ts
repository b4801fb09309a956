import { createHash } from "node:crypto";

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();
const sha512 = (data: Buffer) => createHash("sha512").update(data).digest();

/**
 * The enmeshed address of a public key: `did:e:<host>:dids:<20 hex><2 hex>`, where the 20 hex are
 * the first 10 bytes of SHA-256(SHA-512(raw key)) and the 2 hex the first byte of SHA-256 over the
 * address written so far (a checksum).
 */
export function deriveAddress(rawPublicKey: Buffer, host: string): string {
  const body = `did:e:${host}:dids:${sha256(sha512(rawPublicKey)).subarray(0, 10).toString("hex")}`;
  return body + sha256(Buffer.from(body, "utf8")).subarray(0, 1).toString("hex");
}

/**
 * The enmeshed runtime's AddressString pattern, as upstream writes it (validation messages show it;
 * runtime schemas match it against the whole string).
 */
export const ADDRESS_PATTERN = "did:e:((([A-Za-z0-9]+(-[A-Za-z0-9]+)*)\\.)+[a-z]{2,}|localhost):dids:[0-9a-f]{22}";