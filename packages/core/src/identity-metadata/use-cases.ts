import { authorize } from "../access/authorize.js";
import type { Principal } from "../access/principal.js";
import type { CoreDeps } from "../deps.js";
import { newEvent } from "../events/new-event.js";
import { newId } from "../relationships/ids.js";
import { ADDRESS, invalidProperty, validateRequest, type ObjectRule } from "../relationships/validation.js";
import type { JsonValue } from "../shared/json.js";
import { MAX_VERSION } from "../shared/names.js";
import { quotaOf, withinQuota } from "../shared/quotas.js";
import { identityMetadataErrors as E } from "./errors.js";
import type { IdentityMetadata, IdentityMetadataPage, IdentityMetadataPosition, IdentityMetadataRecord } from "./identity-metadata.js";

export interface UpsertIdentityMetadataInput {
  reference: string;
  key?: string | undefined;
  /** Any JSON value, null included. */
  value: unknown;
}
/** Our extension (tRPC `expectedVersion`, REST `If-Match`): act only on the record at this version. */
export interface VersionOptions {
  expectedVersion?: number | undefined;
}
export interface IdentityMetadataKeyInput {
  reference: string;
  key?: string | undefined;
}
export interface ListIdentityMetadataInput {
  reference?: string | undefined;
  keyPrefix?: string | undefined;
  cursor?: string | undefined;
  /** 1–100, default 50. */
  limit?: number | undefined;
}

export const MAX_VALUE_BYTES = 1024 * 1024;
const optionsSchema: ObjectRule = {
  type: "object",
  properties: { expectedVersion: { type: "integer", minimum: 1, maximum: MAX_VERSION } },
  additional: false,
};

const upsertSchema: ObjectRule = {
  type: "object",
  properties: { reference: { type: "string", pattern: ADDRESS }, key: { type: "string" }, value: { type: "any" } },
  required: ["reference", "value"],
  additional: false,
};
const getSchema: ObjectRule = {
  type: "object",
  properties: { reference: { type: "string", pattern: ADDRESS }, key: { type: "string" } },
  required: ["reference"],
  additional: false,
};
const listSchema: ObjectRule = {
  type: "object",
  properties: {
    reference: { type: "string", pattern: ADDRESS },
    keyPrefix: { type: "string" },
    cursor: { type: "string" },
    limit: { type: "integer", minimum: 1 },
  },
  additional: false,
};

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

const encodeCursor = (p: IdentityMetadataPosition) => Buffer.from(JSON.stringify([p.reference, p.hasKey ? 1 : 0, p.key])).toString("base64url");
function decodeCursor(cursor: string): IdentityMetadataPosition {
  try {
    const [reference, hasKey, key] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof reference === "string" && (hasKey === 0 || hasKey === 1) && typeof key === "string") {
      return { reference, hasKey: hasKey === 1, key };
    }
  } catch {
    // fall through
  }
  throw E.badCursor();
}

export const identityMetadataUseCases = (deps: CoreDeps) => ({
  /**
   * Creates or replaces the value for (reference, key) in place: one transaction with the
   * familiarity check, one INSERT … ON CONFLICT DO UPDATE and the event.
   */
  async upsert(principal: Principal, raw: UpsertIdentityMetadataInput, options: VersionOptions = {}): Promise<IdentityMetadata> {
    authorize(principal, "upsert_identity_metadata");
    const input = validateRequest<UpsertIdentityMetadataInput>(upsertSchema, raw);
    const { expectedVersion } = validateRequest<VersionOptions>(optionsSchema, options);
    const valueJson = serialize(input.value);
    const value = input.value as JsonValue;
    const at = deps.clock.now();
    return deps.store.transaction(async (tx) => {
      if (input.reference !== principal.address && !(await tx.relationships.hasPeer(principal.account, input.reference))) {
        throw E.unfamiliar();
      }
      const stored = await tx.identityMetadata.upsert(
        { id: newId("IDM"), owner: principal.account, reference: input.reference, key: input.key, valueJson, at },
        expectedVersion,
      );
      if (!stored) throw E.versionMismatch();
      if (stored.version === 1) {
        // A new record: count (only then — updates cannot pass the quota).
        const limit = quotaOf(deps.config, "metadataRecords");
        withinQuota("metadataRecords", await tx.identityMetadata.countOwned(principal.account, limit + 1), limit);
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
    const input = validateRequest<IdentityMetadataKeyInput>(getSchema, raw);
    const record = await deps.store.read.identityMetadata.get(principal.account, input.reference, input.key);
    if (!record) throw E.notFound();
    return publicView(record);
  },

  async delete(principal: Principal, raw: IdentityMetadataKeyInput, options: VersionOptions = {}): Promise<void> {
    authorize(principal, "delete_identity_metadata");
    const input = validateRequest<IdentityMetadataKeyInput>(getSchema, raw);
    const { expectedVersion } = validateRequest<VersionOptions>(optionsSchema, options);
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
    const input = validateRequest<ListIdentityMetadataInput>(listSchema, raw ?? {});
    const limit = Math.min(input.limit ?? 50, 100);
    const rows = await deps.store.read.identityMetadata.list(principal.account, {
      reference: input.reference,
      keyPrefix: input.keyPrefix,
      after: input.cursor === undefined ? undefined : decodeCursor(input.cursor),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(publicView),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ reference: last.reference, hasKey: last.key !== undefined, key: last.key ?? "" }) : null,
    };
  },
});
