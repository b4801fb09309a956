import { generateKeyPairSync } from "node:crypto";

export interface AccountKeys {
  /** Raw 32-byte Ed25519 public key. */
  rawPublicKey: Buffer;
  /** PKCS#8 DER of the private key, base64. */
  privateKey: string;
}

export function generateAccountKeys(): AccountKeys {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return {
    rawPublicKey: Buffer.from(jwk.x!, "base64url"),
    privateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
  };
}

/** The Connector's `publicKey` field: base64url of `{"pub": <base64url raw key>, "alg": 3}` (3 = Ed25519). */
export function connectorPublicKey(rawPublicKeyBase64Url: string): string {
  return Buffer.from(JSON.stringify({ pub: rawPublicKeyBase64Url, alg: 3 }), "utf8").toString("base64url");
}
