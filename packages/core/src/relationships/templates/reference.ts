import { createHash, timingSafeEqual } from "node:crypto";
import { relationshipErrors as E } from "../errors.js";

// References to templates and tokens, shaped like the runtime's (transport `Reference`):
// truncated = base64url(`<id>|3|<base64url key>|<forIdentity last 4 or "">|<password part or "">`),
// url = `<base>/r/<id>#<base64url("3|<key>|<fi>|<pw>")>` (Connector 7.x). The key inside is the
// object's secret key: whoever holds the reference may load the object, nobody else can guess it.

const ALG = "3";

export interface Protection {
  password: string;
  passwordIsPin: boolean;
}

export interface ReferenceSource {
  id: string;
  secretKey: string;
  forIdentity: string | null;
  protection: Protection | null;
}

/** `pw&<salt>` or `pin<length>&<salt>`, as PasswordProtection.truncate() writes it. */
function passwordPart(source: ReferenceSource): string {
  if (!source.protection) return "";
  // The salt only has to look like one: derived from the secret key, so nothing more is stored.
  const salt = createHash("sha256").update(`salt:${source.secretKey}`).digest().subarray(0, 16).toString("base64");
  const type = source.protection.passwordIsPin ? `pin${source.protection.password.length}` : "pw";
  return `${type}&${salt}`;
}

const tail = (source: ReferenceSource) =>
  `${ALG}|${source.secretKey}|${source.forIdentity ? source.forIdentity.slice(-4) : ""}|${passwordPart(source)}`;

export function truncatedReference(source: ReferenceSource): string {
  return Buffer.from(`${source.id}|${tail(source)}`, "utf8").toString("base64url");
}

export function referenceUrl(source: ReferenceSource, baseUrl: string): string {
  return `${baseUrl}/r/${source.id}#${Buffer.from(tail(source), "utf8").toString("base64url")}`;
}

export interface References {
  truncated: string;
  url: string;
}

export const referencesOf = (source: ReferenceSource, baseUrl: string): References => ({
  truncated: truncatedReference(source),
  url: referenceUrl(source, baseUrl),
});

/** What a presented reference names: the object id and the key to verify. */
export interface ParsedReference {
  kind: "template" | "token";
  id: string;
  key: string;
}

const TRUNCATED = /^(VE9L|UkxU).{84,}$/s;
const URL_FORM = /^https?:\/\/.*\/r\/((?:TOK|RLT)[a-zA-Z0-9]+)(\?app=.+)?#([a-zA-Z0-9_-]+)$/s;

/** Does a reference have one of the accepted shapes (the load request's schema)? */
export const isReferenceShaped = (reference: string) => TRUNCATED.test(reference) || URL_FORM.test(reference);

export function parseReference(reference: string): ParsedReference {
  const url = URL_FORM.exec(reference);
  let id: string;
  let parts: string[];
  if (url) {
    id = url[1]!;
    parts = [id, ...decode(url[3]!).split("|")];
  } else {
    parts = decode(reference).split("|");
    // The 7.x form carries `@<backbone base URL>` after the id.
    id = (parts[0] ?? "").split("@")[0]!;
  }
  if (parts.length !== 3 && parts.length !== 5) throw E.truncatedReferenceComponents(parts.length);
  const kind = id.startsWith("RLT") ? "template" : id.startsWith("TOK") ? "token" : undefined;
  if (!kind) throw E.invalidReference();
  return { kind, id, key: parts[2] ?? "" };
}

const decode = (text: string) => Buffer.from(text, "base64url").toString("utf8");

/** Constant-time comparison of a presented key with the stored one. */
export function keyMatches(presented: string, stored: string): boolean {
  const a = Buffer.from(presented, "utf8");
  const b = Buffer.from(stored, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
