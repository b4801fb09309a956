import type { Database } from "@idhub/db";
import { coreFor } from "../../src/production-core.js";
import { loadConfig } from "../../src/config.js";

// The mixed workload of the scale-out and crash suites (twins, identities, metadata upserts,
// relationship templates and relationships, plus reads), and the ledger of what the server
// acknowledged with 2xx, checked against the database afterwards.

export interface Tenant {
  account: string;
  address: string;
  secret: string;
}

/** Accounts made directly in the database (the CLI's `account create`, without a process per call). */
export async function createTenants(database: Database, count: number): Promise<Tenant[]> {
  const core = coreFor(database, loadConfig({}));
  const tenants: Tenant[] = [];
  for (let i = 0; i < count; i++) {
    const created = await core.admin.createAccount({ name: `tenant ${i}` });
    tenants.push({ account: created.account.id, address: created.account.address, secret: created.secret });
  }
  return tenants;
}

export type Operation = "twin" | "identity" | "metadata" | "template" | "relationship" | "read";

export interface Failure {
  op: Operation;
  startedAt: number;
  endedAt: number;
  /** HTTP status, or the network error's code/message. */
  outcome: number | string;
}

/** Everything acknowledged with 2xx. */
export class Ledger {
  readonly twins = new Map<string, string[]>(); // account → twin ids
  readonly identities: { owner: string; twin: string; name: string }[] = [];
  readonly metadataKeys = new Map<string, Set<string>>(); // account → keys
  readonly templates: string[] = [];
  readonly relationships: string[] = [];
  readonly failures: Failure[] = [];
  readonly okByOp = new Map<Operation, number>();
  requests = 0;
  acknowledged = 0;
  acknowledgedWrites = 0;

  /** What had been acknowledged so far (e.g. when a backup began). */
  snapshot(): Ledger {
    const copy = new Ledger();
    for (const [account, ids] of this.twins) copy.twins.set(account, [...ids]);
    copy.identities.push(...this.identities);
    for (const [account, keys] of this.metadataKeys) copy.metadataKeys.set(account, new Set(keys));
    copy.templates.push(...this.templates);
    copy.relationships.push(...this.relationships);
    copy.acknowledgedWrites = this.acknowledgedWrites;
    return copy;
  }
}

export interface LoadOptions {
  baseUrl: string;
  tenants: Tenant[];
  connections: number;
  /** The load stops at whichever comes first. */
  durationMs?: number;
  maxRequests?: number;
  /** Stops early (e.g. once a server was killed), besides the duration and the request count. */
  stopWhen?: () => boolean;
  /** Operations to draw from, equally likely (default: all). */
  ops?: Operation[];
  ledger?: Ledger;
}

const CONTENT = { "@type": "ArbitraryRelationshipTemplateContent", value: { a: "b" } };
const CREATION = { "@type": "ArbitraryRelationshipCreationContent", value: {} };
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

/** Drives `connections` concurrent request loops against `baseUrl`; resolves with the ledger. */
export async function runLoad(options: LoadOptions): Promise<Ledger> {
  const ledger = options.ledger ?? new Ledger();
  const ops = options.ops ?? (["twin", "identity", "metadata", "template", "relationship", "read"] as Operation[]);
  const stopAt = options.durationMs === undefined ? Infinity : Date.now() + options.durationMs;
  const maxRequests = options.maxRequests ?? Infinity;
  const pairs = freePairs(options.tenants);
  let sequence = 0;

  const call = async (op: Operation, tenant: Tenant, method: string, path: string, body?: unknown) => {
    const startedAt = Date.now();
    ledger.requests++;
    try {
      const response = await fetch(options.baseUrl + path, {
        method,
        headers: { authorization: tenant.secret, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) {
        ledger.acknowledged++;
        if (method !== "GET") ledger.acknowledgedWrites++;
        ledger.okByOp.set(op, (ledger.okByOp.get(op) ?? 0) + 1);
        return JSON.parse(text);
      }
      ledger.failures.push({ op, startedAt, endedAt: Date.now(), outcome: response.status });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      ledger.failures.push({ op, startedAt, endedAt: Date.now(), outcome: cause?.code ?? (error as Error).message });
    }
    return undefined;
  };

  const step = async (op: Operation) => {
    const n = ++sequence;
    const tenant = options.tenants[n % options.tenants.length]!;
    switch (op) {
      case "twin": {
        const twin = await call(op, tenant, "POST", "/twins", { description: { n } });
        if (twin) push(ledger.twins, tenant.account, twin.creation_certificate.uuid);
        return;
      }
      case "identity": {
        const twins = ledger.twins.get(tenant.account);
        if (!twins?.length) return step("twin");
        const twin = twins[n % twins.length]!;
        const name = `RFID#n${n}`;
        const reply = await call(op, tenant, "POST", `/twins/${twin}/identities`, { identities: { [name]: {} } });
        if (reply?.identities?.[name] && !reply.identities[name].error) ledger.identities.push({ owner: tenant.account, twin, name });
        return;
      }
      case "metadata": {
        const key = `k${n % 50}`;
        const reply = await call(op, tenant, "PUT", "/api/core/v1/IdentityMetadata", { reference: tenant.address, key, value: { n } });
        if (reply) {
          let keys = ledger.metadataKeys.get(tenant.account);
          if (!keys) ledger.metadataKeys.set(tenant.account, (keys = new Set()));
          keys.add(key);
        }
        return;
      }
      case "template": {
        const reply = await call(op, tenant, "POST", "/api/core/v1/RelationshipTemplates/Own", { expiresAt: inAnHour(), content: CONTENT });
        if (reply) ledger.templates.push(reply.result.id);
        return;
      }
      case "relationship": {
        const pair = pairs.pop();
        if (!pair) return step("template");
        const [from, to] = pair;
        const template = await call(op, from, "POST", "/api/core/v1/RelationshipTemplates/Own", { expiresAt: inAnHour(), content: CONTENT });
        if (!template) return;
        ledger.templates.push(template.result.id);
        const loaded = await call(op, to, "POST", "/api/core/v1/RelationshipTemplates/Peer", { reference: template.result.reference.truncated });
        if (!loaded) return;
        const relationship = await call(op, to, "POST", "/api/core/v1/Relationships", { templateId: template.result.id, creationContent: CREATION });
        if (relationship) ledger.relationships.push(relationship.result.id);
        return;
      }
      case "read": {
        await call(op, tenant, "GET", n % 2 ? "/whoami" : `/resolve/${encodeURIComponent(`RFID#n${n - 7}`)}?context=personal`);
        return;
      }
    }
  };

  const loop = async () => {
    while (Date.now() < stopAt && ledger.requests < maxRequests && !options.stopWhen?.()) {
      await step(ops[Math.floor(Math.random() * ops.length)]!);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  return ledger;
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const unusedPairs = new WeakMap<Tenant[], [Tenant, Tenant][]>();

/**
 * Every unordered pair of the tenants once over all runs on them (one open relationship per pair
 * is a rule), shuffled.
 */
function freePairs(tenants: Tenant[]): [Tenant, Tenant][] {
  const known = unusedPairs.get(tenants);
  if (known) return known;
  const pairs: [Tenant, Tenant][] = [];
  unusedPairs.set(tenants, pairs);
  for (let i = 0; i < tenants.length; i++) for (let j = i + 1; j < tenants.length; j++) pairs.push([tenants[i]!, tenants[j]!]);
  return pairs.sort(() => Math.random() - 0.5);
}

/** What the database says is missing from the ledger, and which invariants are broken (both empty when all is well). */
export async function verify(database: Database, ledger: Ledger): Promise<{ missing: string[]; violations: string[] }> {
  const db = database.db;
  const missing: string[] = [];
  const twinIds = new Set((await db.selectFrom("twins").select("id").execute()).map((r) => r.id));
  for (const ids of ledger.twins.values()) for (const id of ids) if (!twinIds.has(id)) missing.push(`twin ${id}`);
  const identities = new Set(
    (await db.selectFrom("identities").select(["twin", "owner", "name"]).execute()).map((r) => `${r.twin}|${r.owner}|${r.name}`),
  );
  for (const i of ledger.identities) if (!identities.has(`${i.twin}|${i.owner}|${i.name}`)) missing.push(`identity ${i.name}`);
  const metadata = new Set(
    (await db.selectFrom("identity_metadata").select(["owner", "key"]).where("has_key", "=", 1).execute()).map((r) => `${r.owner}|${r.key}`),
  );
  for (const [owner, keys] of ledger.metadataKeys) for (const key of keys) if (!metadata.has(`${owner}|${key}`)) missing.push(`metadata ${owner} ${key}`);
  const templates = new Set((await db.selectFrom("relationship_templates").select("id").execute()).map((r) => r.id));
  for (const id of ledger.templates) if (!templates.has(id)) missing.push(`template ${id}`);
  const relationships = new Set((await db.selectFrom("relationships").select("id").execute()).map((r) => r.id));
  for (const id of ledger.relationships) if (!relationships.has(id)) missing.push(`relationship ${id}`);

  const violations: string[] = [];
  const duplicateMetadata = await db
    .selectFrom("identity_metadata")
    .select(["owner", "reference", "has_key", "key", (eb) => eb.fn.countAll().as("n")])
    .groupBy(["owner", "reference", "has_key", "key"])
    .having((eb) => eb.fn.countAll(), ">", 1)
    .execute();
  for (const d of duplicateMetadata) violations.push(`metadata ${d.owner} ${d.key}: ${d.n} rows`);
  const duplicateIdentities = await db
    .selectFrom("identities")
    .select(["twin", "owner", "name", (eb) => eb.fn.countAll().as("n")])
    .groupBy(["twin", "owner", "name"])
    .having((eb) => eb.fn.countAll(), ">", 1)
    .execute();
  for (const d of duplicateIdentities) violations.push(`identity ${d.name}: ${d.n} rows`);
  const orphanIdentities = await db
    .selectFrom("identities")
    .leftJoin("twins", "twins.id", "identities.twin")
    .select("identities.name")
    .where("twins.id", "is", null)
    .execute();
  for (const o of orphanIdentities) violations.push(`identity ${o.name} on a missing twin`);
  const openPairs = await db
    .selectFrom("relationships")
    .select(["pair_key", (eb) => eb.fn.countAll().as("n")])
    .where("status", "in", ["Pending", "Active", "Terminated", "DeletionProposed"])
    .groupBy("pair_key")
    .having((eb) => eb.fn.countAll(), ">", 1)
    .execute();
  for (const p of openPairs) violations.push(`pair ${p.pair_key}: ${p.n} open relationships`);
  return { missing, violations };
}
