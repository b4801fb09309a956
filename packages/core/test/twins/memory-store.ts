import { randomUUID } from "node:crypto";
import {
  type EventRepository,
  type IdentityKey,
  type IdentityRepository,
  type NewEvent,
  type Principal,
  type Repositories,
  type Store,
  type Twin,
  type TwinIdentity,
  type TwinRepository,
} from "../../src/index.js";
import { createTestCore } from "../../src/testing.js";

// An in-memory Store with just the twins, identities and events ports, so core's rules are tested
// without a database (@idhub/db runs the same use cases on SQLite and PostgreSQL in its own and
// the api package's tests). A transaction works on copies and commits them only on success.

interface State {
  twins: Map<string, Twin>;
  identities: Map<string, TwinIdentity>;
  events: NewEvent[];
}

const keyOf = (k: IdentityKey) => `${k.twin}\u0000${k.owner}\u0000${k.name}`;
const clone = <T>(value: T): T => structuredClone(value);

/** Every call a use case makes to the ports, e.g. `twins.get`, `identities.update`. */
export type CallLog = string[];

function repositories(state: State, calls: CallLog): Repositories {
  const twins: TwinRepository = {
    async insert(twin) {
      calls.push("twins.insert");
      if (state.twins.has(twin.id)) throw new Error("duplicate twin");
      state.twins.set(twin.id, clone(twin));
    },
    async get(id) {
      calls.push("twins.get");
      return clone(state.twins.get(id));
    },
    async getForUpdate(id) {
      calls.push("twins.getForUpdate");
      return clone(state.twins.get(id));
    },
    async update(twin) {
      calls.push("twins.update");
      const current = state.twins.get(twin.id);
      if (!current) return false;
      state.twins.set(twin.id, { ...clone(twin), owner: current.owner, creator: current.creator, createdAt: current.createdAt });
      return true;
    },
    async countOwned(owner) {
      calls.push("twins.countOwned");
      return [...state.twins.values()].filter((t) => t.owner === owner).length;
    },
    async listOwned({ owner, status, after, limit }) {
      calls.push("twins.listOwned");
      return [...state.twins.values()]
        .filter((t) => t.owner === owner && (!status || t.status === status))
        .sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1))
        .filter((t) => !after || t.createdAt > after.createdAt || (t.createdAt === after.createdAt && t.id > after.id))
        .slice(0, limit)
        .map(clone);
    },
  };
  const valid = (i: TwinIdentity, now: number) => i.validityAt === null || i.validityAt > now;
  const identities: IdentityRepository = {
    async countOnTwin(twin) {
      calls.push("identities.countOnTwin");
      return [...state.identities.values()].filter((i) => i.twin === twin).length;
    },
    async insertMissing(rows) {
      calls.push("identities.insertMissing");
      const inserted: string[] = [];
      for (const row of rows) {
        if (state.identities.has(keyOf(row))) continue;
        if (!state.twins.has(row.twin)) throw new Error("foreign key: twin");
        state.identities.set(keyOf(row), clone(row));
        inserted.push(row.name);
      }
      return inserted;
    },
    async get(key) {
      calls.push("identities.get");
      return clone(state.identities.get(keyOf(key)));
    },
    async update(key, patch, expectedVersion) {
      calls.push("identities.update");
      const current = state.identities.get(keyOf(key));
      if (!current || (expectedVersion !== undefined && current.version !== expectedVersion)) return undefined;
      const next: TwinIdentity = {
        ...current,
        ...(patch.validityAt !== undefined ? { validityAt: patch.validityAt } : {}),
        ...(patch.visibility !== undefined ? { visibility: patch.visibility } : {}),
        updatedAt: patch.updatedAt,
        version: current.version + 1,
      };
      state.identities.set(keyOf(key), next);
      return clone(next);
    },
    async delete(key, expectedVersion) {
      calls.push("identities.delete");
      const current = state.identities.get(keyOf(key));
      if (!current || (expectedVersion !== undefined && current.version !== expectedVersion)) return undefined;
      state.identities.delete(keyOf(key));
      return clone(current);
    },
    async listOwned(twin, owner) {
      calls.push("identities.listOwned");
      return [...state.identities.values()].filter((i) => i.twin === twin && i.owner === owner).map(clone);
    },
    async listForeign({ twin, caller, owner, now }) {
      calls.push("identities.listForeign");
      return [...state.identities.values()]
        .filter((i) => i.twin === twin && i.owner !== caller && (!owner || i.owner === owner) && i.visibility !== null && valid(i, now))
        .map(clone);
    },
    async resolveCandidates({ name, caller, owners, now, after, limit }) {
      calls.push("identities.resolveCandidates");
      const key = (i: TwinIdentity) => `${i.twin}\u0000${i.owner}`;
      const from = after && (after.owner === undefined ? `${after.twin}\u0001` : `${after.twin}\u0000${after.owner}`);
      return [...state.identities.values()]
        .filter((i) => i.name === name && valid(i, now) && (owners === "any" || owners.includes(i.owner)))
        .filter((i) => i.owner === caller || i.visibility !== null)
        .filter((i) => from === undefined || key(i) > from)
        .sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0))
        .slice(0, limit)
        .map((i) => ({ identity: clone(i), twin: clone(state.twins.get(i.twin)!) }));
    },
  };
  const unused = (name: string) =>
    new Proxy({}, { get: (_t, prop) => () => Promise.reject(new Error(`${name}.${String(prop)} is not in the memory store`)) });
  const events: EventRepository = {
    async append(events) {
      calls.push("events.append");
      state.events.push(...clone(events));
    },
    async list(account, after, limit) {
      return state.events
        .map((e, n) => ({ ...e, seq: n + 1 }))
        .filter((e) => e.account === account && e.seq > after)
        .slice(0, limit);
    },
    // Not used by the twin and identity rules tested here.
    seqOf: () => Promise.reject(new Error("events.seqOf is not in the memory store")),
    prunedThrough: () => Promise.reject(new Error("events.prunedThrough is not in the memory store")),
    prune: () => Promise.reject(new Error("events.prune is not in the memory store")),
  };
  return {
    twins,
    identities,
    events,
    accounts: unused("accounts"),
    roles: unused("roles"),
    users: unused("users"),
    secrets: unused("secrets"),
    relationshipTemplates: unused("relationshipTemplates"),
    relationships: unused("relationships"),
    identityMetadata: unused("identityMetadata"),
  } as unknown as Repositories;
}

export function memoryStore() {
  let state: State = { twins: new Map(), identities: new Map(), events: [] };
  const calls: CallLog = [];
  const store: Store = {
    get read() {
      return repositories(state, calls);
    },
    async transaction(work) {
      const copy: State = { twins: clone(state.twins), identities: clone(state.identities), events: clone(state.events) };
      const result = await work(repositories(copy, calls));
      state = copy;
      return result;
    },
    async ping() {
      return true;
    },
  };
  return { store, calls, state: () => state };
}

/** A core on the memory store with a clock the test moves. */
export function memoryCore() {
  const { store, calls, state } = memoryStore();
  const { core, clock } = createTestCore(store);
  return { core, clock, calls, state };
}

export function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    account: randomUUID(),
    address: "did:e:localhost:dids:0123456789abcdef012345",
    user: randomUUID(),
    role: randomUUID(),
    statement: { effect: "deny", actions: null },
    rules: { twinRule: null, entryRule: null, identityRule: null },
    userDescription: null,
    dict: {},
    ...overrides,
  };
}
