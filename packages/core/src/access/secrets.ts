import { z } from "zod";
import type { CoreDeps } from "../deps.js";
import { conflict, notFound } from "../errors.js";
import { newEvent } from "../events/new-event.js";
import { epochMs, uuid } from "../shared/names.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import type { Repositories } from "../storage.js";
import { authorize } from "./authorize.js";
import { fingerprintOf, hashCredential, newPin, newSecret } from "./credentials.js";
import { findManageableUser, userNotFound } from "./guards.js";
import type { Principal } from "./principal.js";
import type { PinRecord, SecretInfo, SecretRecord } from "./secret.js";

export const PIN_LIFETIME_MS = 10 * 60 * 1000;

export interface RedeemPinInput {
  account: string;
  pin: string;
  client: string;
}
export interface IssuedSecret extends Omit<SecretInfo, "fingerprint"> {
  /** Shown this once; only its hash is stored. */
  secret: string;
}

const userRef = z.strictObject({ user: uuid });
const createPinSchema = userRef.extend({
  /** Expiry of the secret the PIN will be exchanged for; null or absent = never expires. */
  validityAt: epochMs.nullable().optional(),
});
const updateSchema = userRef.extend({ validityAt: epochMs.nullable() });

export type UserRefInput = InputOf<typeof userRef>;
export type CreatePinInput = InputOf<typeof createPinSchema>;
export type UpdateSecretInput = InputOf<typeof updateSchema>;

const info = ({ hash: _hash, ...rest }: SecretRecord): SecretInfo => rest;

/** Replaces the user's secret with a fresh one (a user has at most one). */
export async function issueSecret(
  deps: CoreDeps,
  tx: Repositories,
  account: string,
  user: string,
  validityAt: number | null,
  actor: string | null,
): Promise<IssuedSecret> {
  const secret = newSecret();
  const now = deps.clock.now();
  const record: SecretRecord = {
    account,
    user,
    hash: hashCredential(secret),
    fingerprint: fingerprintOf(secret),
    validityAt,
    createdAt: now,
    updatedAt: now,
  };
  await tx.secrets.put(record);
  await tx.events.append([newEvent(deps, account, "secret.created", user, actor)]);
  return { secret, account, user, validityAt, createdAt: now, updatedAt: now };
}

/** Draws PINs until one does not collide with a live PIN of the account (collisions are rare). */
async function insertFreshPin(tx: Repositories, pin: Omit<PinRecord, "hash">): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const candidate = newPin();
    if (await tx.secrets.insertPin({ ...pin, hash: hashCredential(candidate) })) return candidate;
  }
  throw conflict("access.pin.exhausted", "Could not draw a free PIN; try again.");
}

export const secretUseCases = (deps: CoreDeps) => {
  const findSecret = async (tx: Repositories, principal: Principal, user: string) => {
    await findManageableUser(tx, principal, user);
    const secret = await tx.secrets.get(principal.account, user);
    if (!secret) throw notFound("access.secret.notFound", "The user has no secret.");
    return secret;
  };

  return {
    /** Step 1 of issuing a secret: a single-use PIN, valid 10 minutes. */
    async createPin(principal: Principal, raw: CreatePinInput): Promise<{ pin: string }> {
      authorize(principal, "create_user_secret_pin");
      const input = parseInput(createPinSchema, raw);
      return deps.store.transaction(async (tx) => {
        await findManageableUser(tx, principal, input.user);
        const now = deps.clock.now();
        await tx.secrets.deleteExpiredPins(principal.account, now);
        const pin = await insertFreshPin(tx, {
          account: principal.account,
          user: input.user,
          secretValidityAt: input.validityAt ?? null,
          expiresAt: now + PIN_LIFETIME_MS,
          createdAt: now,
        });
        await tx.events.append([newEvent(deps, principal.account, "secret.pinCreated", input.user, principal.user)]);
        return { pin };
      });
    },

    /** Step 2, unauthenticated: the PIN (once, within its lifetime) buys the user a new secret. */
    async redeemPin(input: RedeemPinInput): Promise<IssuedSecret> {
      await deps.throttle.check(input.client);
      const rejected = async () => {
        await deps.throttle.recordFailure(input.client);
        return notFound("access.pin.notFound", "Unknown, used or expired PIN.");
      };
      if (!uuid.safeParse(input.account).success) throw await rejected();
      const issued = await deps.store.transaction(async (tx) => {
        const pin = await tx.secrets.takePin(input.account, hashCredential(input.pin));
        if (!pin || pin.expiresAt <= deps.clock.now()) return undefined;
        return issueSecret(deps, tx, pin.account, pin.user, pin.secretValidityAt, null);
      });
      if (!issued) throw await rejected();
      return issued;
    },

    async get(principal: Principal, raw: UserRefInput): Promise<SecretInfo> {
      authorize(principal, "get_user_secret");
      const { user } = parseInput(userRef, raw);
      return info(await findSecret(deps.store.read, principal, user));
    },

    async update(principal: Principal, raw: UpdateSecretInput): Promise<SecretInfo> {
      authorize(principal, "update_user_secret");
      const input = parseInput(updateSchema, raw);
      return deps.store.transaction(async (tx) => {
        const current = await findSecret(tx, principal, input.user);
        const secret = { ...current, validityAt: input.validityAt, updatedAt: deps.clock.now() };
        await tx.secrets.put(secret);
        await tx.events.append([newEvent(deps, principal.account, "secret.updated", input.user, principal.user)]);
        return info(secret);
      });
    },

    async delete(principal: Principal, raw: UserRefInput): Promise<SecretInfo> {
      authorize(principal, "delete_user_secret");
      const { user } = parseInput(userRef, raw);
      return deps.store.transaction(async (tx) => {
        const secret = await findSecret(tx, principal, user);
        await tx.secrets.delete(principal.account, user);
        await tx.events.append([newEvent(deps, principal.account, "secret.deleted", user, principal.user)]);
        return info(secret);
      });
    },

    /** Administrative (CLI): a new secret for a user of an account, without the PIN step. */
    async issueForAdmin(input: { account: string; user: string; validityAt?: number | null }): Promise<IssuedSecret> {
      const { account, user } = parseInput(z.object({ account: uuid, user: uuid }), input);
      return deps.store.transaction(async (tx) => {
        if (!(await tx.users.get(account, user))) throw userNotFound();
        return issueSecret(deps, tx, account, user, input.validityAt ?? null, null);
      });
    },
  };
};
