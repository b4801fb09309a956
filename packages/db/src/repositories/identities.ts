import type { IdentityKey, IdentityRepository, JsonObject, ResolveCandidate, ResolveQuery, Twin, TwinIdentity } from "@idhub/core";
import { CompiledQuery, type Kysely, type Selectable } from "kysely";
import type { DB, IdentitiesTable, SqlDialect, TwinsTable } from "../schema.js";
import { toTwin } from "./twins.js";
import { usageOf } from "./usage.js";

export const toIdentity = (row: Selectable<IdentitiesTable>): TwinIdentity => ({
  twin: row.twin,
  owner: row.owner,
  name: row.name,
  validityAt: row.validity_at,
  visibility: row.visibility,
  creator: row.creator,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

const toRow = (identity: TwinIdentity): IdentitiesTable => ({
  twin: identity.twin,
  owner: identity.owner,
  name: identity.name,
  validity_at: identity.validityAt,
  visibility: identity.visibility,
  creator: identity.creator,
  created_at: identity.createdAt,
  updated_at: identity.updatedAt,
  version: identity.version,
});

export function identityRepository(db: Kysely<DB>, dialect: SqlDialect): IdentityRepository {
  const byKey = <Q extends { where: (...args: any[]) => Q }>(query: Q, key: IdentityKey): Q =>
    query.where("twin", "=", key.twin).where("owner", "=", key.owner).where("name", "=", key.name);

  return {
    async insertMissing(identities) {
      if (identities.length === 0) return [];
      // One statement: RETURNING lists only the rows actually inserted, on both dialects.
      const rows = await db
        .insertInto("identities")
        .values(identities.map(toRow))
        .onConflict((oc) => oc.columns(["twin", "owner", "name"]).doNothing())
        .returning("name")
        .execute();
      return rows.map((r) => r.name);
    },

    async get(key) {
      const row = await byKey(db.selectFrom("identities").selectAll(), key).executeTakeFirst();
      return row && toIdentity(row);
    },

    // One statement: only the present fields are written and the version is bumped in SQL, so a
    // concurrent update can neither be lost nor slip between a read and this write.
    async update(key, patch, expectedVersion) {
      const shape = { validity: patch.validityAt !== undefined, visibility: patch.visibility !== undefined, version: expectedVersion !== undefined };
      const values: unknown[] = [];
      if (shape.validity) values.push(patch.validityAt);
      if (shape.visibility) values.push(patch.visibility);
      values.push(patch.updatedAt, key.twin, key.owner, key.name);
      if (shape.version) values.push(expectedVersion);
      const { rows } = await db.executeQuery<Selectable<IdentitiesTable>>(CompiledQuery.raw(updateSql(dialect, shape), values));
      return rows[0] && toIdentity(rows[0]);
    },

    async delete(key, expectedVersion) {
      let query = byKey(db.deleteFrom("identities"), key);
      if (expectedVersion !== undefined) query = query.where("version", "=", expectedVersion);
      const row = await query.returningAll().executeTakeFirst();
      return row && toIdentity(row);
    },

    countOnTwin: (twin) => usageOf(db, dialect, "identitiesPerTwin", twin),

    async listOwned(twin, owner) {
      const rows = await db
        .selectFrom("identities")
        .selectAll()
        .where("twin", "=", twin)
        .where("owner", "=", owner)
        .orderBy("name")
        .execute();
      return rows.map(toIdentity);
    },

    async listForeign({ twin, caller, owner, now }) {
      let query = db
        .selectFrom("identities")
        .selectAll()
        .where("twin", "=", twin)
        .where("owner", "!=", caller)
        .where("visibility", "is not", null)
        .where((eb) => eb.or([eb("validity_at", "is", null), eb("validity_at", ">", now)]));
      if (owner !== undefined) query = query.where("owner", "=", owner);
      const rows = await query.orderBy("owner").orderBy("name").execute();
      return rows.map(toIdentity);
    },

    async resolveCandidates(query) {
      if (dialect === "sqlite") {
        const candidates = await sqliteCandidates(db, query);
        if (candidates) return candidates;
      }
      const rows = (await db.executeQuery(compiledResolve(db, query, "join"))).rows as ResolveRow[];
      const twins = new Map<string, Twin>();
      return rows.map((row): ResolveCandidate => {
        let twin = twins.get(row.twin);
        if (!twin) {
          twin = {
            id: row.twin,
            owner: row.t_owner,
            status: row.t_status,
            description: row.t_description === null ? null : (JSON.parse(row.t_description) as JsonObject),
            creator: row.t_creator,
            createdAt: row.t_created_at,
            updatedAt: row.t_updated_at,
            terminatedAt: row.t_terminated_at,
            terminatedBy: row.t_terminated_by,
            version: row.t_version,
          };
          twins.set(row.twin, twin);
        }
        return { identity: toIdentity(row), twin };
      });
    },
  };
}

/**
 * The identity update (bench case 2's statement) per shape — which fields the patch sets, whether
 * a version is expected — written once: Kysely built and compiled it on every request.
 */
function updateSql(dialect: SqlDialect, shape: { validity: boolean; visibility: boolean; version: boolean }): string {
  const id = `${dialect}:${+shape.validity}${+shape.visibility}${+shape.version}`;
  let text = updateTexts.get(id);
  if (text === undefined) {
    let n = 0;
    const p = () => (dialect === "postgres" ? `$${++n}` : "?");
    const set = [
      ...(shape.validity ? [`validity_at = ${p()}`] : []),
      ...(shape.visibility ? [`visibility = ${p()}`] : []),
      `updated_at = ${p()}`,
      "version = version + 1",
    ];
    text =
      `update identities set ${set.join(", ")} where twin = ${p()} and owner = ${p()} and name = ${p()}` +
      (shape.version ? ` and version = ${p()}` : "") +
      " returning *";
    updateTexts.set(id, text);
  }
  return text;
}
const updateTexts = new Map<string, string>();

/**
 * Valid identities with the name, of the wanted owners, that are the caller's or public, joined with
 * their twins, in (twin, owner) keyset order. Served by `identities_name_owner_idx` (name, owner) or
 * `identities_name_twin_idx` (name, twin, owner; migration 0009, read in order for a popular name):
 * the name (and the owner list, when there is one) come from the index; expiry and public/private
 * are filtered on those rows only.
 */
function resolveQuery(db: Kysely<DB>, q: ResolveQuery) {
  return matchingIdentities(db, q)
    .innerJoin("twins as t", "t.id", "i.twin")
    .select([
      "i.twin", "i.owner", "i.name", "i.validity_at", "i.visibility", "i.creator", "i.created_at", "i.updated_at", "i.version",
      "t.owner as t_owner", "t.status as t_status", "t.description as t_description", "t.creator as t_creator",
      "t.created_at as t_created_at", "t.updated_at as t_updated_at", "t.terminated_at as t_terminated_at",
      "t.terminated_by as t_terminated_by", "t.version as t_version",
    ])
    .orderBy("i.twin")
    .orderBy("i.owner")
    .limit(q.limit);
}

/** The candidates' identities alone, in the same order and with the same filters (SQLite's first step). */
function identitiesQuery(db: Kysely<DB>, q: ResolveQuery) {
  return matchingIdentities(db, q).selectAll("i").orderBy("i.twin").orderBy("i.owner").limit(q.limit);
}

function matchingIdentities(db: Kysely<DB>, q: ResolveQuery) {
  let query = db
    .selectFrom("identities as i")
    .where("i.name", "=", q.name)
    .where((eb) => eb.or([eb("i.validity_at", "is", null), eb("i.validity_at", ">", q.now)]));
  const onlyCaller = q.owners !== "any" && q.owners.length === 1 && q.owners[0] === q.caller;
  if (q.owners !== "any") query = query.where("i.owner", "in", q.owners);
  // Other accounts' identities count only when public; their rules are evaluated by core.
  if (!onlyCaller) query = query.where((eb) => eb.or([eb("i.owner", "=", q.caller), eb("i.visibility", "is not", null)]));
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      after.owner === undefined
        ? eb("i.twin", ">", after.twin)
        : eb.or([eb("i.twin", ">", after.twin), eb.and([eb("i.twin", "=", after.twin), eb("i.owner", ">", after.owner)])]),
    );
  }
  return query;
}

/** The twins with these ids, one statement text whatever their number (the ids as one JSON array). */
const TWINS_BY_ID = CompiledQuery.raw("select t.* from twins as t where t.id in (select value from json_each(?))");

/**
 * SQLite: the candidates' identities first, then their twins by id — two prepared statements cost
 * less than the join (in-process on case 4's 1M identities: ≈ 30 against ≈ 47 µs per look-up, see
 * bench/README.md) and most look-ups find no twin to read at all. The join's answer exactly: every
 * identity has its twin (foreign key), and should one be missing (only conceivable inside a
 * transaction with deferred foreign keys) this answers undefined and the join runs instead, so the
 * page's limit counts the same rows. PostgreSQL keeps the join (one round trip).
 */
async function sqliteCandidates(db: Kysely<DB>, q: ResolveQuery): Promise<ResolveCandidate[] | undefined> {
  const identities = (await db.executeQuery(compiledResolve(db, q, "identities"))).rows as Selectable<IdentitiesTable>[];
  if (identities.length === 0) return [];
  const ids = [...new Set(identities.map((row) => row.twin))];
  const { rows } = await db.executeQuery({ ...TWINS_BY_ID, parameters: [JSON.stringify(ids)] });
  const twins = new Map((rows as Selectable<TwinsTable>[]).map((row) => [row.id, toTwin(row)]));
  if (twins.size !== ids.length) return undefined;
  return identities.map((row) => ({ identity: toIdentity(row), twin: twins.get(row.twin)! }));
}

type ResolveRow = Awaited<ReturnType<ReturnType<typeof resolveQuery>["execute"]>>[number];

// Placeholders that stand for a query's values in a query compiled once per shape.
const NAME = "\u0000name";
const CALLER = "\u0000caller";
const NOW = -0x1d_c0de;
const LIMIT = -0x1d_c0df;

/**
 * The resolve query of the two common shapes — context `system` (any owner) and `personal` (only
 * the caller) — compiled once per repository with placeholders, then run with the request's
 * values: building and compiling it with Kysely on every request cost about as much as SQLite's
 * index look-up. Other owner lists (one or more account ids) are built per request.
 */
function compiledResolve(db: Kysely<DB>, q: ResolveQuery, kind: "join" | "identities"): CompiledQuery {
  const build = kind === "join" ? resolveQuery : identitiesQuery;
  const ownersShape = q.owners === "any" ? "any" : q.owners.length === 1 && q.owners[0] === q.caller ? "caller" : undefined;
  // A continuation (after a position) is built per request; first pages, the hot path, are not.
  const shape = q.after === undefined ? ownersShape : undefined;
  if (shape === undefined) return build(db, q).compile();
  let cache = compiledShapes.get(db);
  if (!cache) compiledShapes.set(db, (cache = new Map()));
  const key = `${kind} ${shape}` as const;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = build(db, { name: NAME, caller: CALLER, owners: shape === "any" ? "any" : [CALLER], now: NOW, limit: LIMIT }).compile();
    cache.set(key, compiled);
  }
  const values = compiled.parameters.map((p) =>
    p === NAME ? q.name : p === CALLER ? q.caller : p === NOW ? q.now : p === LIMIT ? q.limit : p,
  );
  return { ...compiled, parameters: values };
}
const compiledShapes = new WeakMap<Kysely<DB>, Map<`${"join" | "identities"} ${"any" | "caller"}`, CompiledQuery>>();

/**
 * Test and tooling only (not part of core's port): the database's plan for the resolve read, as
 * text — on SQLite `EXPLAIN QUERY PLAN` of both statements it runs (the identities, then their twins
 * by id), on PostgreSQL `EXPLAIN` (optionally `ANALYZE`, which runs it) of the join.
 */
export async function explainResolve(db: Kysely<DB>, dialect: SqlDialect, q: ResolveQuery, analyze = false): Promise<string> {
  const statements = dialect === "sqlite" ? [identitiesQuery(db, q).compile(), { ...TWINS_BY_ID, parameters: ["[]"] }] : [resolveQuery(db, q).compile()];
  const prefix = dialect === "sqlite" ? "explain query plan " : analyze ? "explain (analyze, buffers off) " : "explain ";
  const plans: string[] = [];
  for (const compiled of statements) {
    const result = await db.executeQuery<Record<string, unknown>>({ ...compiled, sql: prefix + compiled.sql });
    plans.push(...result.rows.map((row) => (dialect === "sqlite" ? String(row.detail) : String(row["QUERY PLAN"]))));
  }
  return plans.join("\n");
}

/** Rows of the identities table, for test set-up at scale (one multi-row insert per call). */
export async function insertIdentityRows(db: Kysely<DB>, identities: readonly TwinIdentity[]): Promise<void> {
  if (identities.length > 0) await db.insertInto("identities").values(identities.map(toRow)).execute();
}
