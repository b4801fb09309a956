import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { newEvent } from "../events/new-event.js";
import type { JsonValue } from "../shared/json.js";
import { decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageOf } from "../shared/pagination.js";
import { invalidProperty, parseInput } from "../shared/validation/index.js";
import { quotaOf, withinQuota } from "../shared/quotas.js";
import { identityMetadataErrors as E } from "./errors.js";
import type { IdentityMetadata, IdentityMetadataPage, IdentityMetadataPosition, IdentityMetadataRecord } from "./identity-metadata.js";
import {
  deleteMetadataSchema,
  listMetadataSchema,
  metadataKeySchema,
  upsertMetadataSchema,
  type DeleteIdentityMetadataInput,
  type IdentityMetadataKeyInput,
  type ListIdentityMetadataInput,
  type UpsertIdentityMetadataInput,
} from "./inputs.js";

export const MAX_VALUE_BYTES = 1024 * 1024;

const publicView = (r: IdentityMetadataRecord): IdentityMetadata => ({
  reference: r.reference,
  ...(r.key !== undefined ? { key: r.key } : {}),
  value: r.value,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** JSON text of a value; a value JSON cannot carry (a function, a cycle, too deep) is invalid. */
function serialize(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    throw invalidProperty("value must be a JSON value");
  }
  if (text === undefined) throw invalidProperty("value must be a JSON value");
  // Cheap bound first: a UTF-8 byte is at most 3 per UTF-16 unit.
  if (text.length > MAX_VALUE_BYTES / 3 && Buffer.byteLength(text, "utf8") > MAX_VALUE_BYTES) throw E.tooLarge();
  return text;
}

/** A list cursor is the last record's (reference, has key, key), shared/pagination.ts. */
function decodePosition(cursor: string): IdentityMetadataPosition {
  const decoded = decodeCursor(cursor);
  if (Array.isArray(decoded)) {
    const [reference, hasKey, key] = decoded as unknown[];
    if (typeof reference === "string" && (hasKey === 0 || hasKey === 1) && typeof key === "string") {
      return { reference, hasKey: hasKey === 1, key };
    }
  }
  throw E.badCursor();
}

export const identityMetadataUseCases = (deps: CoreDeps) => ({
  /**
   * Creates or replaces the value for (reference, key) in place: one transaction with the
   * familiarity check, one INSERT … ON CONFLICT DO UPDATE and the event.
   */
  async upsert(principal: Principal, raw: UpsertIdentityMetadataInput): Promise<IdentityMetadata> {
    authorize(principal, "upsert_identity_metadata");
    const { expectedVersion, ...input } = parseInput(upsertMetadataSchema, raw);
    const valueJson = serialize(input.value);
    const value = input.value as JsonValue;
    const at = deps.clock.now();
    return deps.store.transaction(async (tx) => {
      if (input.reference !== principal.address && !(await tx.relationships.hasPeer(principal.account, input.reference))) {
        throw E.unfamiliar();
      }
      const stored = await tx.identityMetadata.upsert(
        { id: deps.ids.enmeshedId("IDM"), owner: principal.account, reference: input.reference, key: input.key, valueJson, at },
        expectedVersion,
      );
      if (!stored) throw E.versionMismatch();
      if (stored.version === 1) {
        // A new record: count (only then — updates cannot pass the quota).
        const limit = quotaOf(deps.config, "metadataRecords");
        withinQuota("metadataRecords", await tx.identityMetadata.countOwned(principal.account), limit);
      }
      await tx.events.append([
        newEvent(deps, principal.account, "identityMetadata.upserted", stored.id, principal.user, {
          reference: input.reference,
          ...(input.key !== undefined ? { key: input.key } : {}),
          version: stored.version,
        }),
      ]);
      return {
        reference: input.reference,
        ...(input.key !== undefined ? { key: input.key } : {}),
        value,
        version: stored.version,
        createdAt: stored.createdAt,
        updatedAt: at,
      };
    });
  },

  /** Exact (reference, key) look-up; no familiarity check. */
  async get(principal: Principal, raw: IdentityMetadataKeyInput): Promise<IdentityMetadata> {
    authorize(principal, "get_identity_metadata");
    const input = parseInput(metadataKeySchema, raw);
    const record = await deps.store.read.identityMetadata.get(principal.account, input.reference, input.key);
    if (!record) throw E.notFound();
    return publicView(record);
  },

  async delete(principal: Principal, raw: DeleteIdentityMetadataInput): Promise<void> {
    authorize(principal, "delete_identity_metadata");
    const { expectedVersion, ...input } = parseInput(deleteMetadataSchema, raw);
    await deps.store.transaction(async (tx) => {
      const deleted = await tx.identityMetadata.delete(principal.account, input.reference, input.key, expectedVersion);
      if (!deleted) {
        if (expectedVersion !== undefined && (await tx.identityMetadata.get(principal.account, input.reference, input.key))) {
          throw E.versionMismatch();
        }
        throw E.notFound();
      }
      await tx.events.append([
        newEvent(deps, principal.account, "identityMetadata.deleted", deleted.id, principal.user, {
          reference: deleted.reference,
          ...(deleted.key !== undefined ? { key: deleted.key } : {}),
        }),
      ]);
    });
  },

  /** Our extension: the caller's records, by reference and/or key prefix, cursor-paginated. */
  async list(principal: Principal, raw: ListIdentityMetadataInput = {}): Promise<IdentityMetadataPage> {
    authorize(principal, "list_identity_metadata");
    const input = parseInput(listMetadataSchema, raw ?? {});
    const limit = Math.min(input.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const rows = await deps.store.read.identityMetadata.list(principal.account, {
      reference: input.reference,
      keyPrefix: input.keyPrefix,
      after: input.cursor === undefined ? undefined : decodePosition(input.cursor),
      limit: limit + 1,
    });
    const { page, nextCursor } = pageOf(rows, limit, (last) => [last.reference, last.key !== undefined ? 1 : 0, last.key ?? ""]);
    return { items: page.map(publicView), nextCursor };
  },
});
