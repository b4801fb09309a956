import type { Statement } from "./statement.js";

export interface RoleRules {
  twinRule: string | null;
  entryRule: string | null;
  identityRule: string | null;
}

export interface Role {
  id: string;
  account: string;
  name: string;
  statement: Statement;
  rules: RoleRules;
  createdAt: number;
  updatedAt: number;
}

export const NO_RULES: RoleRules = { twinRule: null, entryRule: null, identityRule: null };
export const SUPER_ADMIN_NAME = "Super Admin";
export const DEFAULT_ROLE_NAME = "User Role Name";
