import type { Generated } from "kysely";

// Kysely's view of the tables. Column names are snake_case as stored; the repositories map rows to
// core's camelCase entities. Timestamps are epoch milliseconds (bigint, parsed as JS numbers on
// PostgreSQL), JSON is text, ids are application-generated text.

export interface AccountsTable {
  id: string;
  name: string;
  address: string;
  public_key: string;
  private_key: string;
  created_at: number;
  updated_at: number;
  /** When an operator disabled the account (epoch ms); null while it is enabled. */
  disabled_at: number | null;
}

/** One row ('bootstrap') once the first-start bootstrap has been claimed. */
export interface BootstrapMarkerTable {
  id: string;
}

export interface RolesTable {
  id: string;
  account: string;
  name: string;
  effect: "allow" | "deny";
  /** JSON array of action names, or null. */
  actions: string | null;
  twin_rule: string | null;
  entry_rule: string | null;
  identity_rule: string | null;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  account: string;
  role: string;
  name: string | null;
  /** JSON object, or null. */
  description: string | null;
  created_at: number;
  updated_at: number;
}

export interface SecretsTable {
  user_id: string;
  account: string;
  hash: string;
  fingerprint: string;
  validity_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SecretPinsTable {
  account: string;
  hash: string;
  user_id: string;
  secret_validity_at: number | null;
  expires_at: number;
  created_at: number;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  account: string;
  type: string;
  subject: string;
  actor: string | null;
  at: number;
  /** JSON value. */
  data: string;
}

/** Per account, the highest seq retention has deleted (see migration 0004). */
export interface EventPruneMarksTable {
  account: string;
  through_seq: number;
}

export interface TwinsTable {
  id: string;
  owner: string;
  status: "alive" | "terminated";
  /** JSON object, or null. */
  description: string | null;
  creator: string;
  created_at: number;
  updated_at: number;
  terminated_at: number | null;
  terminated_by: string | null;
  version: number;
}

/** Key (twin, owner, name). */
export interface IdentitiesTable {
  twin: string;
  owner: string;
  name: string;
  validity_at: number | null;
  /** Rule text, or null (private). */
  visibility: string | null;
  creator: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface RelationshipTemplatesTable {
  id: string;
  owner: string;
  /** The owner's address. */
  created_by: string;
  created_at: number;
  expires_at: number;
  /** JSON (normalized template content). */
  content: string;
  max_allocations: number | null;
  /** Distinct loading accounts so far. */
  allocations: Generated<number>;
  for_identity: string | null;
  password: string | null;
  password_is_pin: number;
  secret_key: string;
  deleted_at: number | null;
}

export interface RelationshipTemplateLoadsTable {
  template: string;
  account: string;
  password: string | null;
  created_at: number;
}

export interface RelationshipTokensTable {
  id: string;
  owner: string;
  created_by: string;
  template: string;
  created_at: number;
  expires_at: number;
  is_ephemeral: number;
  for_identity: string | null;
  password: string | null;
  password_is_pin: number;
  secret_key: string;
}

export interface RelationshipsTable {
  id: string;
  template_id: string;
  from_account: string;
  to_account: string;
  /** The unordered pair of accounts (partial unique index over open relationships). */
  pair_key: string;
  status: string;
  /** JSON. */
  creation_content: string;
  /** JSON array of audit-log entries. */
  audit_log: string;
  from_decomposed: number;
  to_decomposed: number;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface IdentityMetadataTable {
  id: string;
  owner: string;
  reference: string;
  /** 0 = no key (then `key` is ''), 1 = `key` is the key ('' included). */
  has_key: number;
  key: string;
  /** JSON value. */
  value: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface LoginFailuresTable {
  /** Client address (as the server decided it: socket peer or trusted X-Forwarded-For). */
  client: string;
  window_start: number;
  failures: number;
}

/** Quota usage per (quota, scope), kept exact by triggers (migration 0010). */
export interface UsageCountersTable {
  quota: string;
  scope: string;
  used: number;
}

export interface WebhooksTable {
  id: string;
  account: string;
  url: string;
  /** JSON array of trigger filters, or null = all. */
  types: string | null;
  description: string | null;
  enabled: number;
  disabled_reason: string | null;
  secret_generation: number;
  position: number;
  partial: number;
  attempts: number;
  next_attempt_at: number;
  failing_since: number | null;
  lease_owner: string | null;
  lease_until: number;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook: string;
  seq: number;
  message_id: string;
  trigger: string;
  outcome: string;
  http_status: number | null;
  duration_ms: number;
  error: string | null;
  at: number;
}

export interface DB {
  accounts: AccountsTable;
  bootstrap_marker: BootstrapMarkerTable;
  roles: RolesTable;
  users: UsersTable;
  secrets: SecretsTable;
  secret_pins: SecretPinsTable;
  events: EventsTable;
  event_prune_marks: EventPruneMarksTable;
  twins: TwinsTable;
  identities: IdentitiesTable;
  relationship_templates: RelationshipTemplatesTable;
  relationship_template_loads: RelationshipTemplateLoadsTable;
  relationship_tokens: RelationshipTokensTable;
  relationships: RelationshipsTable;
  identity_metadata: IdentityMetadataTable;
  login_failures: LoginFailuresTable;
  usage_counters: UsageCountersTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type SqlDialect = "sqlite" | "postgres";
