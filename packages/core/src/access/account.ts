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

/** What an operator sees of an account (CLI): enabled or since when disabled. */
export interface AccountStatus {
  id: string;
  name: string;
  address: string;
  createdAt: number;
  /** Epoch ms when an operator disabled it; null while enabled. */
  disabledAt: number | null;
}

/** What is stored: the account plus its private key (PKCS#8 DER, base64). Never leaves core/db. */
export interface AccountRecord extends Account {
  privateKey: string;
}
