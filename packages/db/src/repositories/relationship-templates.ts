import type {
  JsonValue,
  RelationshipTemplateRecord,
  RelationshipTemplateRepository,
  TemplateLoad,
  TemplateTokenRecord,
} from "@idhub/core";
import { sql, type Kysely, type Selectable } from "kysely";
import type { DB, RelationshipTemplateLoadsTable, RelationshipTemplatesTable, RelationshipTokensTable } from "../schema.js";

const toTemplate = (row: Selectable<RelationshipTemplatesTable>): RelationshipTemplateRecord => ({
  id: row.id,
  owner: row.owner,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  content: JSON.parse(row.content) as JsonValue,
  maxNumberOfAllocations: row.max_allocations,
  forIdentity: row.for_identity,
  password: row.password,
  passwordIsPin: row.password_is_pin === 1,
  secretKey: row.secret_key,
  deletedAt: row.deleted_at,
});

const toLoad = (row: Selectable<RelationshipTemplateLoadsTable>): TemplateLoad => ({
  template: row.template,
  account: row.account,
  password: row.password,
  createdAt: row.created_at,
});

const toToken = (row: Selectable<RelationshipTokensTable>): TemplateTokenRecord => ({
  id: row.id,
  owner: row.owner,
  createdBy: row.created_by,
  template: row.template,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  isEphemeral: row.is_ephemeral === 1,
  forIdentity: row.for_identity,
  password: row.password,
  passwordIsPin: row.password_is_pin === 1,
  secretKey: row.secret_key,
});

const TEMPLATE_COLUMNS = [
  "t.id",
  "t.owner",
  "t.created_by",
  "t.created_at",
  "t.expires_at",
  "t.content",
  "t.max_allocations",
  "t.allocations",
  "t.for_identity",
  "t.password",
  "t.password_is_pin",
  "t.secret_key",
  "t.deleted_at",
] as const;

export function relationshipTemplateRepository(db: Kysely<DB>): RelationshipTemplateRepository {
  return {
    async insert(t) {
      await db
        .insertInto("relationship_templates")
        .values({
          id: t.id,
          owner: t.owner,
          created_by: t.createdBy,
          created_at: t.createdAt,
          expires_at: t.expiresAt,
          content: JSON.stringify(t.content),
          max_allocations: t.maxNumberOfAllocations,
          for_identity: t.forIdentity,
          password: t.password,
          password_is_pin: t.passwordIsPin ? 1 : 0,
          secret_key: t.secretKey,
          deleted_at: t.deletedAt,
        })
        .execute();
    },

    async get(id) {
      const row = await db.selectFrom("relationship_templates").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toTemplate(row);
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom("relationship_templates").selectAll().where("id", "in", [...ids]).execute();
      return rows.map(toTemplate);
    },

    // Keyset order (created_at, id), served by relationship_templates_owner_created_idx (0009).
    async listOwn(owner, { after, limit }) {
      let query = db.selectFrom("relationship_templates").selectAll().where("owner", "=", owner).where("deleted_at", "is", null);
      if (after) {
        query = query.where((eb) =>
          eb.or([eb("created_at", ">", after.at), eb.and([eb("created_at", "=", after.at), eb("id", ">", after.id)])]),
        );
      }
      const rows = await query.orderBy("created_at").orderBy("id").limit(limit).execute();
      return rows.map(toTemplate);
    },

    // Keyset order (load time, template id), served by relationship_template_loads_account_created_idx (0009).
    async listLoaded(account, { after, limit }) {
      let query = db
        .selectFrom("relationship_template_loads as l")
        .innerJoin("relationship_templates as t", "t.id", "l.template")
        .select([...TEMPLATE_COLUMNS, "l.password as load_password", "l.created_at as load_created_at"])
        .where("l.account", "=", account);
      if (after) {
        query = query.where((eb) =>
          eb.or([eb("l.created_at", ">", after.at), eb.and([eb("l.created_at", "=", after.at), eb("l.template", ">", after.id)])]),
        );
      }
      const rows = await query.orderBy("l.created_at").orderBy("l.template").limit(limit).execute();
      return rows.map((row) => ({
        template: toTemplate(row),
        load: { template: row.id, account, password: row.load_password, createdAt: row.load_created_at },
      }));
    },

    async getLoad(account, template) {
      const row = await db
        .selectFrom("relationship_template_loads")
        .selectAll()
        .where("account", "=", account)
        .where("template", "=", template)
        .executeTakeFirst();
      return row && toLoad(row);
    },

    async getLoads(account, templates) {
      if (templates.length === 0) return [];
      const rows = await db
        .selectFrom("relationship_template_loads")
        .selectAll()
        .where("account", "=", account)
        .where("template", "in", [...templates])
        .execute();
      return rows.map(toLoad);
    },

    async insertLoad(load) {
      const result = await db
        .insertInto("relationship_template_loads")
        .values({ template: load.template, account: load.account, password: load.password, created_at: load.createdAt })
        .onConflict((oc) => oc.columns(["account", "template"]).doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    // One conditional UPDATE: of two racing loaders for the last allocation exactly one succeeds
    // (PostgreSQL re-checks the condition after waiting for the other's row lock).
    async allocate(template) {
      const result = await db
        .updateTable("relationship_templates")
        .set({ allocations: sql`allocations + 1` })
        .where("id", "=", template)
        .where((eb) => eb.or([eb("max_allocations", "is", null), eb("allocations", "<", eb.ref("max_allocations"))]))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async deleteLoad(account, template) {
      const result = await db
        .deleteFrom("relationship_template_loads")
        .where("account", "=", account)
        .where("template", "=", template)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async markDeleted(owner, id, at) {
      const result = await db
        .updateTable("relationship_templates")
        .set({ deleted_at: at })
        .where("owner", "=", owner)
        .where("id", "=", id)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async insertToken(t) {
      await db
        .insertInto("relationship_tokens")
        .values({
          id: t.id,
          owner: t.owner,
          created_by: t.createdBy,
          template: t.template,
          created_at: t.createdAt,
          expires_at: t.expiresAt,
          is_ephemeral: t.isEphemeral ? 1 : 0,
          for_identity: t.forIdentity,
          password: t.password,
          password_is_pin: t.passwordIsPin ? 1 : 0,
          secret_key: t.secretKey,
        })
        .execute();
    },

    async getToken(id) {
      const row = await db.selectFrom("relationship_tokens").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toToken(row);
    },
  };
}
