import { createHash, randomUUID } from "node:crypto";
import type { AccountRecord, NewEvent, PinRecord, Repositories, Role, SecretRecord, Twin, User } from "@idhub/core";

// Entity builders for the repository tests: valid records with unique ids, overridable per test.

let clock = 1_700_000_000_000;
/** Strictly increasing epoch-ms timestamps, so list order by creation is deterministic. */
export const tick = () => ++clock;

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function anAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  const id = randomUUID();
  const now = tick();
  return {
    id,
    name: `account ${id.slice(0, 8)}`,
    address: `did:e:localhost:dids:${sha256(id).slice(0, 22)}`,
    publicKey: Buffer.from(id).toString("base64url"),
    privateKey: Buffer.from(`private ${id}`).toString("base64"),
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function aRole(account: string, overrides: Partial<Role> = {}): Role {
  const now = tick();
  return {
    id: randomUUID(),
    account,
    name: "Operator",
    statement: { effect: "allow", actions: ["get_twin", "create_twin"] },
    rules: { twinRule: "TWIN.kind == 'pallet'", entryRule: null, identityRule: null },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function aUser(account: string, role: string, overrides: Partial<User> = {}): User {
  const now = tick();
  return {
    id: randomUUID(),
    account,
    role,
    name: "Alice",
    description: { team: "ops", level: 3, tags: ["a", "b"], nested: { ok: true, none: null } },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function aSecret(account: string, user: string, overrides: Partial<SecretRecord> = {}): SecretRecord {
  const now = tick();
  const secret = randomUUID();
  return {
    account,
    user,
    hash: sha256(secret),
    fingerprint: secret.slice(-4),
    validityAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function aPin(account: string, user: string, overrides: Partial<PinRecord> = {}): PinRecord {
  const now = tick();
  return {
    account,
    hash: sha256(randomUUID()),
    user,
    secretValidityAt: now + 86_400_000,
    expiresAt: now + 600_000,
    createdAt: now,
    ...overrides,
  };
}

export function aTwin(owner: string, overrides: Partial<Twin> = {}): Twin {
  const now = tick();
  return {
    id: randomUUID(),
    owner,
    status: "alive",
    description: { kind: "pallet", size: 3, tags: ["a"], nested: { ok: true, none: null } },
    creator: owner,
    createdAt: now,
    updatedAt: now,
    terminatedAt: null,
    terminatedBy: null,
    version: 1,
    ...overrides,
  };
}

export function anEvent(account: string, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    account,
    type: "twin.created",
    subject: randomUUID(),
    actor: randomUUID(),
    at: tick(),
    data: { description: { kind: "pallet" }, list: [1, "two", null] },
    ...overrides,
  };
}

export interface Tenant {
  account: AccountRecord;
  role: Role;
  user: User;
}

/** An account with one role and one user holding it. */
export async function seedTenant(repos: Repositories): Promise<Tenant> {
  const account = anAccount();
  const role = aRole(account.id);
  const user = aUser(account.id, role.id);
  await repos.accounts.insert(account);
  await repos.roles.insert(role);
  await repos.users.insert(user);
  return { account, role, user };
}

/** A promise plus the function that resolves it: holds a transaction open until a test says so. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
