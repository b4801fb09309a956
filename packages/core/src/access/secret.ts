/** What the API shows of a secret: never the secret itself. */
export interface SecretInfo {
  account: string;
  user: string;
  /** Last 4 characters of the secret. */
  fingerprint: string;
  /** null = never expires. */
  validityAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Stored form: SHA-256 (hex) of the secret, looked up by that hash. */
export interface SecretRecord extends SecretInfo {
  hash: string;
}

/** A single-use PIN that can be exchanged, unauthenticated, for a new secret. */
export interface PinRecord {
  account: string;
  /** SHA-256 (hex) of the PIN; the PIN itself is shown once. */
  hash: string;
  user: string;
  /** The validity the secret will get (null = never expires). */
  secretValidityAt: number | null;
  expiresAt: number;
  createdAt: number;
}
