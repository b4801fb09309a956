import type { CoreDeps } from "../deps.js";
import { notFound } from "../errors.js";
import type { Account } from "./account.js";
import { authorize } from "./authorize.js";
import { connectorPublicKey } from "./keys.js";
import type { Principal } from "./principal.js";

export interface WhoAmI {
  account: string;
  user: string;
  role: string;
}

export interface IdentityInfo {
  address: string;
  /** Connector encoding: base64url of `{"pub": …, "alg": 3}`. */
  publicKey: string;
}

export const accountUseCases = (deps: CoreDeps) => {
  const load = async (principal: Principal): Promise<Account> => {
    const record = await deps.store.read.accounts.get(principal.account);
    if (!record) throw notFound("access.account.notFound", "Account not found.");
    const { privateKey: _secretKey, ...account } = record;
    return account;
  };

  return {
    /** Needs no action: any authenticated user may ask who it is. */
    whoami: async (principal: Principal): Promise<WhoAmI> => ({
      account: principal.account,
      user: principal.user,
      role: principal.role,
    }),

    async get(principal: Principal): Promise<Account> {
      authorize(principal, "get_account");
      return load(principal);
    },

    async identityInfo(principal: Principal): Promise<IdentityInfo> {
      authorize(principal, "get_identity_info");
      const account = await load(principal);
      return { address: account.address, publicKey: connectorPublicKey(account.publicKey) };
    },
  };
};
