import type { CoreDeps } from "../deps.js";
import { invalid, unauthenticated } from "../errors.js";
import type { JsonObject } from "../shared/json.js";
import { hashCredential, sameHash } from "./credentials.js";
import type { Principal } from "./principal.js";

export interface AuthenticateInput {
  /** The secret as presented (already stripped of any `Bearer ` prefix). */
  secret: string;
  /** Raw `X-TrustedTwin` header, if any. */
  dictHeader?: string | undefined;
  /** Client address, for throttling failed attempts. */
  client: string;
}

// Compared against when no secret matches, so unknown and known-but-expired secrets cost the same.
const DUMMY_HASH = hashCredential("no such secret");

/** Secret → Principal. Unknown or expired secrets authenticate nobody; failures are throttled per client. */
export const authenticate = (deps: CoreDeps) => async (input: AuthenticateInput): Promise<Principal> => {
  const hash = hashCredential(input.secret);
  // Both reads at once: on PostgreSQL the throttle's lookup then costs no extra round trip of latency.
  const [owner] = await Promise.all([deps.store.read.secrets.findOwnerByHash(hash), deps.throttle.check(input.client)]);
  const matches = sameHash(owner?.secret.hash ?? DUMMY_HASH, hash);
  const expired = owner?.secret.validityAt != null && owner.secret.validityAt <= deps.clock.now();
  if (!owner || !matches || expired) {
    await deps.throttle.recordFailure(input.client);
    throw unauthenticated("auth.invalidSecret", "Missing, unknown or expired secret.");
  }
  return {
    account: owner.user.account,
    address: owner.address,
    user: owner.user.id,
    role: owner.role.id,
    statement: owner.role.statement,
    rules: owner.role.rules,
    userDescription: owner.user.description,
    dict: decodeDictHeader(input.dictHeader),
  };
};

/** `X-TrustedTwin`: base64 of a UTF-8 JSON object; it becomes the rule variable DICT. */
export function decodeDictHeader(header: string | undefined): JsonObject {
  if (header === undefined || header === "") return {};
  const fail = () => invalid("auth.invalidDictHeader", "X-TrustedTwin must be base64 of a JSON object.");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(header)) throw fail();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(header, "base64").toString("utf8"));
  } catch {
    throw fail();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw fail();
  return value as JsonObject;
}
