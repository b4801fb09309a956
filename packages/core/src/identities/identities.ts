import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { invalid, notFound } from "../errors.js";
import { newEvent } from "../events/new-event.js";
import { assertValidRule } from "../rules/index.js";
import { quotaOf, withinQuota } from "../shared/quotas.js";
import { parseInput } from "../shared/validation/index.js";
import type { Repositories } from "../storage.js";
import { findTwin, versionMismatch } from "../twins/index.js";
import { assertTwinAccessible } from "../twins/index.js";
import type { Twin } from "../twins/index.js";
import { isExpired, type ForeignIdentity, type IdentityKey, type TwinIdentity } from "./identity.js";
import {
  createIdentitiesSchema,
  deleteIdentitySchema,
  identityRefSchema,
  listIdentitiesSchema,
  updateIdentitySchema,
  type CreateIdentitiesInput,
  type CreateIdentitiesResult,
  type DeleteIdentityInput,
  type IdentityList,
  type IdentityRefInput,
  type ListIdentitiesInput,
  type UpdateIdentityInput,
} from "./inputs.js";
import type { IdentityPatch } from "./repository.js";
import { isVisible, passesIdentityRule } from "./visibility.js";

/** Validity is kept to the millisecond. */
const roundMs = (value: number | null): number | null => (value === null ? null : Math.round(value));

/** Null, or a non-empty rule of at most 4096 characters that parses (INVALID `rule.syntax`). */
function checkVisibility(value: string | null | undefined, field: string): void {
  if (value !== null && value !== undefined) assertValidRule(value, field);
}

const identityNotFound = () => notFound("identity.notFound", "Identity not found.");

export const identityUseCases = (deps: CoreDeps) => {
  /**
   * The twin checks of the owner-only operations: the twin exists and the role's `twinRule` lets the
   * caller reach it (FORBIDDEN otherwise), and the role's `identityRule` holds for the name (NOT_FOUND
   * otherwise, like a name that does not exist). Skipped — no read at all — when the role has neither
   * rule: a missing twin then shows as a missing identity, told apart by `notFoundError`.
   */
  async function checkTwin(repos: Repositories, principal: Principal, twinId: string, name: string, now: number): Promise<Twin | undefined> {
    const { twinRule, identityRule } = principal.rules;
    if (twinRule === null && identityRule === null) return undefined;
    const twin = await findTwin(repos, twinId);
    assertTwinAccessible(principal, twin, now);
    if (!passesIdentityRule(principal, twin, name, now)) throw identityNotFound();
    return twin;
  }

  /** Not found: the twin, when it was not checked yet and does not exist; else the identity. */
  async function notFoundError(repos: Repositories, twinId: string, checked: Twin | undefined) {
    if (!checked && !(await repos.twins.get(twinId))) return notFound("twin.notFound", "Twin not found.");
    return identityNotFound();
  }

  const eventData = (identity: TwinIdentity) => ({ twin: identity.twin, name: identity.name, version: identity.version });
  const subject = (key: IdentityKey) => `${key.twin}/${key.name}`;

  return {
    /**
     * Attaches one or many names to a twin in one transaction. The whole input is validated first;
     * names the caller's account already has on the twin are reported and left unchanged. When none
     * could be created because all exist: INVALID `identity.alreadyExists`.
     */
    async create(principal: Principal, raw: CreateIdentitiesInput): Promise<CreateIdentitiesResult> {
      authorize(principal, "create_twin_identity");
      const input = parseInput(createIdentitiesSchema, raw);
      for (const item of input.identities) checkVisibility(item.visibility, `identities.${item.name}.visibility`);
      return deps.store.transaction(async (tx) => {
        const twin = await findTwin(tx, input.twin);
        const now = deps.clock.now();
        assertTwinAccessible(principal, twin, now);
        const records: TwinIdentity[] = input.identities.map((item) => ({
          twin: twin.id,
          owner: principal.account,
          name: item.name,
          validityAt: roundMs(item.validityAt ?? null),
          visibility: item.visibility ?? null,
          creator: principal.account,
          createdAt: now,
          updatedAt: now,
          version: 1,
        }));
        const inserted = new Set(await tx.identities.insertMissing(records));
        if (inserted.size === 0) {
          throw invalid("identity.alreadyExists", "Identity already exists.", { names: records.map((r) => r.name) });
        }
        const limit = quotaOf(deps.config, "identitiesPerTwin");
        withinQuota("identitiesPerTwin", await tx.identities.countOnTwin(twin.id), limit);
        const created = records.filter((r) => inserted.has(r.name));
        await tx.events.append(
          created.map((identity) => newEvent(deps, identity.owner, "identity.created", subject(identity), principal.user, eventData(identity))),
        );
        return { created, alreadyExisting: records.filter((r) => !inserted.has(r.name)).map((r) => r.name) };
      });
    },

    /**
     * The identities on a twin: the caller's account's own, filtered by the show flags, and with
     * `showForeign` other accounts' valid, public identities the caller may see, grouped by owner.
     */
    async list(principal: Principal, raw: ListIdentitiesInput): Promise<IdentityList> {
      authorize(principal, "get_twin_identities");
      const input = parseInput(listIdentitiesSchema, raw);
      const repos = deps.store.read;
      const twin = await findTwin(repos, input.twin);
      const now = deps.clock.now();
      assertTwinAccessible(principal, twin, now);

      let personal: TwinIdentity[] = [];
      if (input.showPersonal ?? true) {
        const showExpired = input.showExpired ?? false;
        const showValid = input.showValid ?? true;
        const showPublic = input.showPublic ?? true;
        const showPrivate = input.showPrivate ?? true;
        personal = (await repos.identities.listOwned(twin.id, principal.account)).filter(
          (identity) =>
            (isExpired(identity, now) ? showExpired : showValid) &&
            (identity.visibility !== null ? showPublic : showPrivate) &&
            passesIdentityRule(principal, twin, identity.name, now),
        );
      }

      let foreign: Record<string, ForeignIdentity[]> | null = null;
      const showForeign = input.showForeign ?? false;
      if (showForeign !== false) {
        foreign = {};
        const owner = typeof showForeign === "string" ? showForeign.toLowerCase() : undefined;
        const rows = await repos.identities.listForeign({ twin: twin.id, caller: principal.account, owner, now });
        for (const identity of rows) {
          if (!isVisible(principal, identity, twin, now)) continue;
          (foreign[identity.owner] ??= []).push({
            name: identity.name,
            validityAt: identity.validityAt,
            createdAt: identity.createdAt,
            updatedAt: identity.updatedAt,
          });
        }
      }
      return { personal, foreign };
    },

    /** One of the caller's account's identities (also when expired); anything else is NOT_FOUND. */
    async get(principal: Principal, raw: IdentityRefInput): Promise<TwinIdentity> {
      authorize(principal, "get_twin_identity");
      const input = parseInput(identityRefSchema, raw);
      const repos = deps.store.read;
      const twin = await checkTwin(repos, principal, input.twin, input.name, deps.clock.now());
      const identity = await repos.identities.get({ twin: input.twin, owner: principal.account, name: input.name });
      if (!identity) throw await notFoundError(repos, input.twin, twin);
      return identity;
    },

    /** Merge patch of one of the caller's account's identities; bumps updatedAt and version. */
    async update(principal: Principal, raw: UpdateIdentityInput): Promise<TwinIdentity> {
      authorize(principal, "update_twin_identity");
      const input = parseInput(updateIdentitySchema, raw);
      checkVisibility(input.visibility, "visibility");
      const key: IdentityKey = { twin: input.twin, owner: principal.account, name: input.name };
      return deps.store.transaction(async (tx) => {
        const now = deps.clock.now();
        const twin = await checkTwin(tx, principal, input.twin, input.name, now);
        const patch: IdentityPatch = { updatedAt: now };
        if (input.validityAt !== undefined) patch.validityAt = roundMs(input.validityAt);
        if (input.visibility !== undefined) patch.visibility = input.visibility;
        const identity = await tx.identities.update(key, patch, input.expectedVersion);
        if (!identity) {
          if (input.expectedVersion !== undefined && (await tx.identities.get(key))) throw versionMismatch();
          throw await notFoundError(tx, input.twin, twin);
        }
        await tx.events.append([newEvent(deps, key.owner, "identity.updated", subject(key), principal.user, eventData(identity))]);
        return identity;
      });
    },

    /** Deletes one of the caller's account's identities and returns it. */
    async delete(principal: Principal, raw: DeleteIdentityInput): Promise<TwinIdentity> {
      authorize(principal, "delete_twin_identity");
      const input = parseInput(deleteIdentitySchema, raw);
      const key: IdentityKey = { twin: input.twin, owner: principal.account, name: input.name };
      return deps.store.transaction(async (tx) => {
        const twin = await checkTwin(tx, principal, input.twin, input.name, deps.clock.now());
        const identity = await tx.identities.delete(key, input.expectedVersion);
        if (!identity) {
          if (input.expectedVersion !== undefined && (await tx.identities.get(key))) throw versionMismatch();
          throw await notFoundError(tx, input.twin, twin);
        }
        await tx.events.append([newEvent(deps, key.owner, "identity.deleted", subject(key), principal.user, eventData(identity))]);
        return identity;
      });
    },
  };
};
