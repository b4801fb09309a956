export * from "./errors.js";
export * from "./deps.js";
export * from "./storage.js";
export * from "./create-core.js";
export * from "./shared/json.js";
export * from "./shared/ports.js";
export * from "./shared/names.js";
export * from "./shared/validation/index.js";
export {
  collectPages,
  DEFAULT_PAGE_SIZE,
  listTooLarge,
  MAX_PAGE_SIZE,
  type KeysetPage,
  type ListPosition,
  type Page,
} from "./shared/pagination.js";
export { systemIds } from "./shared/ids.js";
export * from "./shared/metrics.js";
export * from "./access/actions.js";
export * from "./access/statement.js";
export * from "./access/principal.js";
export * from "./access/authorize.js";
export * from "./access/account.js";
export * from "./access/role.js";
export * from "./access/user.js";
export * from "./access/secret.js";
export * from "./access/repositories.js";
export * from "./access/address.js";
export * from "./access/keys.js";
export * from "./access/credentials.js";
export * from "./access/login-throttle.js";
export * from "./access/authenticate.js";
export type { WhoAmI, IdentityInfo } from "./access/account-info.js";
export type { CreatedAccount, CreateAccountInput } from "./access/create-account.js";
export type { AccountDetails } from "./access/admin.js";
export type { CreateUserInput, UpdateUserInput } from "./access/users.js";
export type { IdInput, ListRecordsInput } from "./access/account-records.js";
export type { CreateRoleInput, UpdateRoleInput, StatementInput, RulesInput } from "./access/roles.js";
export type { CreatePinInput, UpdateSecretInput, UserRefInput, RedeemPinInput, IssuedSecret } from "./access/secrets.js";
export * from "./events/index.js";
export * from "./rules/index.js";
export * from "./twins/twin.js";
export * from "./twins/repository.js";
export { ruleContext, canAccessTwin } from "./twins/rule-context.js";
export type { CreateTwinInput, GetTwinInput, UpdateTwinInput, TerminateTwinInput, ListTwinsInput, TwinPage } from "./twins/twins.js";
export * from "./identities/identity.js";
export * from "./identities/repository.js";
export { isVisible } from "./identities/visibility.js";
export { MAX_IDENTITIES_PER_CREATE } from "./identities/inputs.js";
export type {
  NewIdentityInput,
  CreateIdentitiesInput,
  CreateIdentitiesResult,
  IdentityRefInput,
  UpdateIdentityInput,
  DeleteIdentityInput,
  ListIdentitiesInput,
  IdentityList,
} from "./identities/inputs.js";
export { MAX_RESOLVE_ACCOUNTS } from "./identities/resolve.js";
export type { ResolveContext, ResolveInput, ResolveResult } from "./identities/resolve.js";
export * from "./relationships/index.js";
export * from "./identity-metadata/index.js";
export * from "./shared/quotas.js";
export * from "./webhooks/index.js";
