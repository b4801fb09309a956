import type { KeysetPage, NewEvent, Principal, Repositories, Store } from "../../src/index.js";
import type { RelationshipRecord, RelationshipParty, StoredRelationship } from "../../src/relationships/relationship.js";
import type { RelationshipTemplateRecord, TemplateLoad, TemplateTokenRecord } from "../../src/relationships/templates/template.js";
import { createTestCore } from "../../src/testing.js";

// An in-memory store for the relationship and template use cases: the repositories they call,
// with the same contracts as @idhub/db's (the open-relationship uniqueness, versioned updates).
// `conflictsLeft` makes the next relationship updates lose a concurrent race.

/** Rows in (time, id) order after the page's position, at most its limit (the databases' keyset order). */
function keyset<T>(rows: T[], keyOf: (row: T) => [number, string], { after, limit }: KeysetPage): T[] {
  const cmp = (a: [number, string], b: [number, string]) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
  const sorted = [...rows].sort((x, y) => cmp(keyOf(x), keyOf(y)));
  return sorted.filter((row) => !after || cmp(keyOf(row), [after.at, after.id]) > 0).slice(0, limit);
}

const OPEN = new Set(["Pending", "Active", "Terminated", "DeletionProposed"]);

export function relationshipMemoryStore(parties: Map<string, RelationshipParty>) {
  const templates = new Map<string, RelationshipTemplateRecord>();
  const loads = new Map<string, TemplateLoad>();
  const tokens = new Map<string, TemplateTokenRecord>();
  const rels = new Map<string, RelationshipRecord>();
  const events: NewEvent[] = [];
  const metadataDeletes: Array<[owner: string, reference: string]> = [];
  const control = { conflictsLeft: 0 };
  const stored = (r: RelationshipRecord): StoredRelationship => ({ ...structuredClone(r), fromParty: parties.get(r.from)!, toParty: parties.get(r.to)! });
  const visibleTo = (r: RelationshipRecord, account: string) => (r.from === account && !r.fromDecomposed) || (r.to === account && !r.toDecomposed);
  const open = (a: string, b: string) =>
    [...rels.values()].find((r) => OPEN.has(r.status) && ((r.from === a && r.to === b) || (r.from === b && r.to === a)));

  const repos = {
    relationshipTemplates: {
      insert: async (t: RelationshipTemplateRecord) => void templates.set(t.id, structuredClone(t)),
      get: async (id: string) => templates.get(id),
      getMany: async (ids: readonly string[]) => ids.flatMap((id) => templates.get(id) ?? []),
      listOwn: async (owner: string, page: KeysetPage) =>
        keyset([...templates.values()].filter((t) => t.owner === owner && t.deletedAt === null), (t) => [t.createdAt, t.id], page),
      listLoaded: async (account: string, page: KeysetPage) =>
        keyset(
          [...loads.values()].filter((l) => l.account === account).map((load) => ({ template: templates.get(load.template)!, load })),
          (x) => [x.load.createdAt, x.template.id],
          page,
        ),
      getLoad: async (account: string, template: string) => loads.get(`${account}/${template}`),
      getLoads: async (account: string, ids: readonly string[]) => ids.flatMap((id) => loads.get(`${account}/${id}`) ?? []),
      insertLoad: async (l: TemplateLoad) => !loads.has(`${l.account}/${l.template}`) && !!loads.set(`${l.account}/${l.template}`, l),
      allocate: async () => true,
      deleteLoad: async (account: string, template: string) => loads.delete(`${account}/${template}`),
      markDeleted: async (owner: string, id: string, at: number) => {
        const t = templates.get(id);
        if (!t || t.owner !== owner) return false;
        t.deletedAt = at;
        return true;
      },
      insertToken: async (t: TemplateTokenRecord) => void tokens.set(t.id, t),
      getToken: async (id: string) => tokens.get(id),
    },
    relationships: {
      insert: async (r: RelationshipRecord) => !open(r.from, r.to) && !!rels.set(r.id, structuredClone(r)),
      get: async (id: string) => (rels.has(id) ? stored(rels.get(id)!) : undefined),
      listFor: async (account: string, page: KeysetPage) =>
        keyset([...rels.values()].filter((r) => visibleTo(r, account)), (r) => [r.createdAt, r.id], page).map(stored),
      findOpen: async (a: string, b: string) => {
        const r = open(a, b);
        return r && stored(r);
      },
      update: async (r: RelationshipRecord, expectedVersion: number) => {
        if (control.conflictsLeft > 0) {
          control.conflictsLeft--;
          return false;
        }
        if (rels.get(r.id)?.version !== expectedVersion) return false;
        const { fromParty: _f, toParty: _t, ...record } = r as StoredRelationship;
        rels.set(r.id, structuredClone(record));
        return true;
      },
      delete: async (id: string) => rels.delete(id),
      hasPeer: async () => false,
    },
    identityMetadata: {
      deleteByReference: async (owner: string, reference: string) => {
        metadataDeletes.push([owner, reference]);
        return [];
      },
    },
    events: { append: async (list: NewEvent[]) => void events.push(...list) },
  } as unknown as Repositories;
  const store: Store = { read: repos, transaction: (work) => work(repos), ping: async () => true };
  return { store, rels, events, metadataDeletes, control };
}

/** Two accounts on one core: `owner` makes templates, `requester` asks for relationships. */
export function twoParties() {
  const party = (n: number): RelationshipParty => ({ account: `account-${n}`, address: `did:e:localhost:dids:${String(n).repeat(22)}`, publicKey: "AAAA" });
  const [ownerParty, requesterParty] = [party(1), party(2)];
  const memory = relationshipMemoryStore(new Map([ownerParty, requesterParty].map((p) => [p.account, p])));
  const { core, clock } = createTestCore(memory.store);
  const principal = (p: RelationshipParty): Principal => ({
    account: p.account,
    address: p.address,
    user: `user-of-${p.account}`,
    role: "role",
    statement: { effect: "deny", actions: null },
    rules: { twinRule: null, entryRule: null, identityRule: null },
    userDescription: null,
    dict: {},
  });
  return { core, clock, ...memory, owner: principal(ownerParty), requester: principal(requesterParty) };
}
