import { z } from "zod";
import type { CoreDeps } from "../deps.js";
import { notFound } from "../errors.js";
import { newEvent } from "../events/new-event.js";
import { allRecords } from "./account-records.js";
import type { DomainEvent } from "../events/event.js";
import { parseInput } from "../shared/validation/index.js";
import type { AccountStatus } from "./account.js";
import { userNotFound } from "./guards.js";
import type { User } from "./user.js";

// Operator use cases, called by the CLI (`idhub account …`, `user list`, `secret revoke`), never
// over the public API: like createAccount they take no principal. Whoever can run the CLI holds the
// database already.

const uuid = z.guid({ error: "must be a UUID" });
const accountInput = z.object({ account: uuid });

export interface AccountDetails extends AccountStatus {
  users: number;
}

const accountNotFound = () => notFound("access.account.notFound", "Account not found.");

export const adminUseCases = (deps: CoreDeps) => ({
  listAccounts: (): Promise<AccountStatus[]> => deps.store.read.accounts.listStatus(),

  async showAccount(input: { account: string }): Promise<AccountDetails> {
    const { account } = parseInput(accountInput, input);
    const status = await deps.store.read.accounts.getStatus(account);
    if (!status) throw accountNotFound();
    const users = await allRecords(deps.store.read.users, account);
    return { ...status, users: users.length };
  },

  /**
   * Disables or enables an account. Its secrets stop (or start again) authenticating with the next
   * request on every surface: the authentication query skips disabled accounts, and the commit
   * empties any cached credentials. Its data stays. Idempotent: disabling a disabled account keeps
   * the original time.
   */
  async setAccountDisabled(input: { account: string; disabled: boolean }): Promise<AccountStatus> {
    const { account } = parseInput(accountInput, input);
    return deps.store.transaction(async (tx) => {
      const status = await tx.accounts.getStatus(account);
      if (!status) throw accountNotFound();
      if ((status.disabledAt !== null) === input.disabled) return status;
      const disabledAt = input.disabled ? deps.clock.now() : null;
      await tx.accounts.setDisabledAt(account, disabledAt);
      await tx.events.append([newEvent(deps, account, input.disabled ? "account.disabled" : "account.enabled", account, null)]);
      return { ...status, disabledAt };
    });
  },

  async listUsers(input: { account: string }): Promise<User[]> {
    const { account } = parseInput(accountInput, input);
    if (!(await deps.store.read.accounts.getStatus(account))) throw accountNotFound();
    return allRecords(deps.store.read.users, account);
  },

  /** One page of an account's change feed, oldest first, after `after` (`idhub events tail`). */
  async listEvents(input: { account: string; after?: number; limit?: number }): Promise<DomainEvent[]> {
    const { account } = parseInput(accountInput, { account: input.account });
    if (!(await deps.store.read.accounts.getStatus(account))) throw accountNotFound();
    return deps.store.read.events.list(account, input.after ?? 0, Math.min(input.limit ?? 100, 500));
  },

  /** Deletes a user's secret: it stops working at once; the user stays (a new secret can be issued). */
  async revokeSecret(input: { account: string; user: string }): Promise<void> {
    const { account, user } = parseInput(z.object({ account: uuid, user: uuid }), input);
    await deps.store.transaction(async (tx) => {
      if (!(await tx.users.get(account, user))) throw userNotFound();
      if (!(await tx.secrets.delete(account, user))) throw notFound("access.secret.notFound", "The user has no secret.");
      await tx.events.append([newEvent(deps, account, "secret.deleted", user, null)]);
    });
  },
});
