import { describe, expect, it } from "vitest";
import { connectorPublicKey, deriveAddress, generateAccountKeys } from "../../src/index.js";

// RFC 8032 test 1 public key. Expected addresses computed by hand with openssl:
//   openssl dgst -sha512 -binary pk | openssl dgst -sha256 -binary | head -c 10   → 63c98b9b34bd7ce8a891
//   checksum = first byte of sha256("did:e:<host>:dids:63c98b9b34bd7ce8a891")
const RFC8032_PUBLIC_KEY = Buffer.from("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "hex");

describe("deriveAddress", () => {
  it("matches the hand-computed vector, checksum byte included", () => {
    expect(deriveAddress(RFC8032_PUBLIC_KEY, "localhost")).toBe("did:e:localhost:dids:63c98b9b34bd7ce8a891f9");
  });

  it("puts the host into the checksummed text", () => {
    expect(deriveAddress(RFC8032_PUBLIC_KEY, "example.org")).toBe("did:e:example.org:dids:63c98b9b34bd7ce8a89103");
  });

  it("derives the enmeshed shape for generated keys", () => {
    const keys = generateAccountKeys();
    expect(keys.rawPublicKey).toHaveLength(32);
    expect(deriveAddress(keys.rawPublicKey, "localhost")).toMatch(/^did:e:localhost:dids:[0-9a-f]{22}$/);
  });
});

describe("connectorPublicKey", () => {
  it("is base64url (no padding) of {pub, alg: 3} in that key order", () => {
    const raw = RFC8032_PUBLIC_KEY.toString("base64url");
    const encoded = connectorPublicKey(raw);
    expect(encoded).not.toMatch(/[=+/]/);
    expect(Buffer.from(encoded, "base64url").toString("utf8")).toBe(`{"pub":"${raw}","alg":3}`);
  });
});
