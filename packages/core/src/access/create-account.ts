import { z } from "zod";
import type { CoreDeps } from "../deps.js";
import { newEvent } from "../events/new-event.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import type { Repositories } from "../storage.js";
import type { Account } from "./account.js";
import { deriveAddress } from "./address.js";
import { generateAccountKeys } from "./keys.js";
import { issueSecret } from "./secrets.js";
import { NO_RULES, SUPER_ADMIN_NAME, type Role } from "./role.js";
import { SUPER_ADMIN_STATEMENT } from "./statement.js";
import type { User } from "./user.js";

export interface CreatedAccount {
  account: Account;
  user: User;
  role: Role;
  /** The Super Admin user's secret, shown this once. */
  secret: string;
}

const schema = z.object({ name: z.string().trim().min(1).max(200) });
export type CreateAccountInput = InputOf<typeof schema>;

/**
 * Creates an account (a tenant and an enmeshed-style identity) with its key pair, a Super Admin
 * role and user, and that user's secret. Administrative: called by the CLI and the first-start
 * bootstrap, never over the public API, so it takes no principal.
 */
export async function createAccountIn(deps: CoreDeps, tx: Repositories, raw: CreateAccountInput): Promise<CreatedAccount> {
  const { name } = parseInput(schema, raw);
  const now = deps.clock.now();
  const keys = generateAccountKeys();
  const publicKey = keys.rawPublicKey.toString("base64url");
  const account: Account = {
    id: deps.ids.uuid(),
    name,
    address: deriveAddress(keys.rawPublicKey, deps.config.addressHost),
    publicKey,
    createdAt: now,
    updatedAt: now,
  };
  const role: Role = {
    id: deps.ids.uuid(),
    account: account.id,
    name: SUPER_ADMIN_NAME,
    statement: SUPER_ADMIN_STATEMENT,
    rules: NO_RULES,
    createdAt: now,
    updatedAt: now,
  };
  const user: User = {
    id: deps.ids.uuid(),
    account: account.id,
    role: role.id,
    name: SUPER_ADMIN_NAME,
    description: null,
    createdAt: now,
    updatedAt: now,
  };
  await tx.accounts.insert({ ...account, privateKey: keys.privateKey });
  await tx.roles.insert(role);
  await tx.users.insert(user);
  await tx.events.append([
    newEvent(deps, account.id, "account.created", account.id, null, { name }),
    newEvent(deps, account.id, "role.created", role.id, null),
    newEvent(deps, account.id, "user.created", user.id, null),
  ]);
  const { secret } = await issueSecret(deps, tx, account.id, user.id, null, null);
  return { account, user, role, secret };
}

export const createAccount = (deps: CoreDeps) => (input: CreateAccountInput) =>
  deps.store.transaction((tx) => createAccountIn(deps, tx, input));

/**
 * First start on an empty database: creates one account and returns it, or null when the database
 * already has accounts or another process bootstrapped first (a unique marker row decides).
 */
export const bootstrap = (deps: CoreDeps) => async (): Promise<CreatedAccount | null> => {
  if ((await deps.store.read.accounts.count()) > 0) return null;
  return deps.store.transaction(async (tx) => {
    if (!(await tx.accounts.claimBootstrap())) return null;
    return createAccountIn(deps, tx, { name: "default" });
  });
};
