export interface Account {
  id: string;
  name: string;
  /** enmeshed-style address derived from publicKey (see address.ts). */
  address: string;
  /** Raw 32-byte Ed25519 public key, base64url without padding. */
  publicKey: string;
  createdAt: number;
  updatedAt: number;
}

/** What is stored: the account plus its private key (PKCS#8 DER, base64). Never leaves core/db. */
export interface AccountRecord extends Account {
  privateKey: string;
}
