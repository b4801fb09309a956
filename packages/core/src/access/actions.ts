/**
 * Every permission name a role statement may list. Trusted Twin's names first, then ours for the
 * Connector surface, the change feed
 * and its webhooks. The list is closed: unknown names in a statement are INVALID.
 */
export const TRUSTED_TWIN_ACTIONS = [
  "create_twin", "get_twin", "update_twin", "terminate_twin",
  "create_twin_identity", "get_twin_identities", "get_twin_identity", "update_twin_identity",
  "delete_twin_identity", "resolve_twin_identity",
  "create_user", "get_user", "get_users", "update_user", "delete_user",
  "create_user_role", "get_user_role", "get_user_roles", "update_user_role", "delete_user_role",
  "create_user_secret_pin", "get_user_secret", "update_user_secret", "delete_user_secret",
  "get_account", "get_log",
] as const;

export const CONNECTOR_ACTIONS = [
  "get_identity_info",
  "upsert_identity_metadata", "get_identity_metadata", "delete_identity_metadata", "list_identity_metadata",
  "create_relationship_template", "get_relationship_templates", "load_relationship_template",
  "delete_relationship_template",
  "create_relationship", "get_relationships", "accept_relationship", "reject_relationship",
  "revoke_relationship", "terminate_relationship", "reactivate_relationship", "decompose_relationship",
] as const;

export const WEBHOOK_ACTIONS = ["create_webhook", "get_webhooks", "update_webhook", "delete_webhook"] as const;

export const ACTIONS = [...TRUSTED_TWIN_ACTIONS, ...CONNECTOR_ACTIONS, "get_events", ...WEBHOOK_ACTIONS] as const;
export type Action = (typeof ACTIONS)[number];

const known = new Set<string>(ACTIONS);
export const isAction = (name: string): name is Action => known.has(name);
