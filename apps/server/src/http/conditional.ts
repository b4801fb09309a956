import { invalid, MAX_VERSION } from "@idhub/core";

// Conditional requests (our extension, domain.md "Concurrency control"), the same on both REST
// surfaces: answers of versioned objects carry `ETag: "<version>"`; `If-Match: "<version>"` makes
// a change happen only at that version (else 412). Clients that send neither see no difference.

/** What a weak, malformed or out-of-range tag compares to: a version no object reaches. */
const NEVER = MAX_VERSION;

/**
 * `If-Match` as the use case's expected version: absent or `*` → no precondition; `"<n>"` → n.
 * Weak or malformed tags never match (If-Match compares strongly). Several different tags cannot
 * be expressed as one expected version: INVALID.
 */
export function expectedVersionOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const tags = header.split(",").map((tag) => tag.trim()).filter((tag) => tag !== "");
  if (tags.length === 0 || tags.includes("*")) return undefined;
  const versions = new Set(
    tags.map((tag) => {
      const digits = /^"(\d{1,15})"$/.exec(tag)?.[1];
      return digits === undefined || Number(digits) < 1 ? NEVER : Math.min(Number(digits), NEVER);
    }),
  );
  if (versions.size > 1) throw invalid("validation.invalidInput", "If-Match: give one entity tag (or *).", { path: ["If-Match"] });
  return [...versions][0];
}

export const entityTag = (object: { version: number }) => `"${object.version}"`;
