import { ACTIONS, type Action, type CreatedAccount } from "@idhub/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userWithStatement } from "../support/accounts.js";
import type { Reply } from "../support/http.js";
import { CONNECTOR_PREFIXES, fillPath, METHODS, OPENAPI, PROCEDURES } from "../support/route-lists.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { connectorRoutes, connectorRoutesFor } from "../../src/connector/index.js";
import type { AnyRoute } from "../../src/http/route-table.js";
import { trustedTwinRoutes } from "../../src/trustedtwin/index.js";

/**
 * A subscription over SSE answers HTTP 200 and reports a refusal in the stream (tRPC's
 * `serialized-error` event). Reads until that error or the first event, and answers like a plain
 * call would have: the error's status and body, or 200.
 */
async function subscriptionOpening(url: string, secret: string): Promise<Reply> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { authorization: secret }, signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    while (!/\n\n(event: serialized-error\n)?data: \{/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    abort.abort();
  }
  const failed = /event: serialized-error\ndata: (.*)\n/.exec(text);
  if (!failed) return { status: response.status, headers: response.headers, body: text, text };
  const error = JSON.parse(failed[1]!);
  return { status: error.data.httpStatus, headers: response.headers, body: { error }, text: failed[1]! };
}

// quality.md, "Security" → "Permissions": for every action, a role lacking it (a statement denying
// exactly that action) gets 403 on every route whose action it is — Trusted Twin 403 / 403535,
// Connector 403 error.connector.forbidden, tRPC FORBIDDEN — while the Super Admin's same request is
// not a 403 (the route really is guarded by that action and nothing else).

/** The action each tRPC procedure needs; null: none. A new procedure without an entry fails. */
const TRPC_ACTION: Record<string, Action | null> = {
  "health.check": null,
  "access.whoami": null,
  "access.account.get": "get_account",
  "access.account.identityInfo": "get_identity_info",
  "access.users.create": "create_user",
  "access.users.list": "get_users",
  "access.users.get": "get_user",
  "access.users.update": "update_user",
  "access.users.delete": "delete_user",
  "access.roles.create": "create_user_role",
  "access.roles.list": "get_user_roles",
  "access.roles.get": "get_user_role",
  "access.roles.update": "update_user_role",
  "access.roles.delete": "delete_user_role",
  "access.secrets.createPin": "create_user_secret_pin",
  "access.secrets.get": "get_user_secret",
  "access.secrets.update": "update_user_secret",
  "access.secrets.delete": "delete_user_secret",
  "twins.create": "create_twin",
  "twins.get": "get_twin",
  "twins.update": "update_twin",
  "twins.terminate": "terminate_twin",
  "twins.list": "get_twin",
  "identities.create": "create_twin_identity",
  "identities.list": "get_twin_identities",
  "identities.get": "get_twin_identity",
  "identities.update": "update_twin_identity",
  "identities.delete": "delete_twin_identity",
  "identities.resolve": "resolve_twin_identity",
  "relationshipTemplates.create": "create_relationship_template",
  "relationshipTemplates.get": "get_relationship_templates",
  "relationshipTemplates.list": "get_relationship_templates",
  "relationshipTemplates.load": "load_relationship_template",
  "relationshipTemplates.createToken": "create_relationship_template",
  "relationshipTemplates.delete": "delete_relationship_template",
  "relationships.create": "create_relationship",
  "relationships.get": "get_relationships",
  "relationships.list": "get_relationships",
  "relationships.canCreate": "create_relationship",
  "relationships.accept": "accept_relationship",
  "relationships.reject": "reject_relationship",
  "relationships.revoke": "revoke_relationship",
  "relationships.terminate": "terminate_relationship",
  "relationships.reactivate": "reactivate_relationship",
  "relationships.acceptReactivation": "reactivate_relationship",
  "relationships.rejectReactivation": "reactivate_relationship",
  "relationships.revokeReactivation": "reactivate_relationship",
  "relationships.decompose": "decompose_relationship",
  "identityMetadata.upsert": "upsert_identity_metadata",
  "identityMetadata.get": "get_identity_metadata",
  "identityMetadata.delete": "delete_identity_metadata",
  "identityMetadata.list": "list_identity_metadata",
  "events.list": "get_events",
  "events.subscribe": "get_events",
  "webhooks.create": "create_webhook",
  "webhooks.list": "get_webhooks",
  "webhooks.get": "get_webhooks",
  "webhooks.update": "update_webhook",
  "webhooks.delete": "delete_webhook",
  "webhooks.deliveries": "get_webhooks",
  "webhooks.redeliver": "update_webhook",
  "webhooks.rotateSecret": "update_webhook",
};

/**
 * Procedures that need a second action besides their own, on purpose: a webhook hands out the
 * account's change feed, so creating or changing one also needs `get_events` (no escalation).
 */
const ALSO_NEEDS: Record<string, Action[]> = {
  "webhooks.create": ["get_events"],
  "webhooks.update": ["get_events"],
  "webhooks.redeliver": ["get_events"],
  "webhooks.rotateSecret": ["get_events"],
};

/** REST routes that need no action (public, or the caller's own session); everything else must declare one. */
const NO_ACTION = new Set(["GET /health", "GET /health/live", "GET /health/ready", "GET /whoami", "POST /secrets/{account}/{pin}", "POST /Account/Sync", "GET /Account/SyncInfo"]);

/** Actions no route or procedure uses yet (a route that starts using one must be covered above). */
const UNROUTED_ACTIONS = new Set<Action>([]);

const SAMPLE_PARAMS: Record<string, string> = {
  twin: "6f7b3c1e-2a4d-4e5f-8a9b-0c1d2e3f4a5b",
  identity: "RFID#permissions",
  user: "6f7b3c1e-2a4d-4e5f-8a9b-0c1d2e3f4a5c",
  role: "6f7b3c1e-2a4d-4e5f-8a9b-0c1d2e3f4a5d",
  id: "RELAAAAAAAAAAAAAAAAA",
};

describe("permissions matrix", () => {
  let server: TestServer;
  let admin: CreatedAccount;
  const lacking = new Map<Action, string>();

  const restTable = (): Array<{ method: string; path: string; action: Action | undefined; connector: boolean }> => [
    ...trustedTwinRoutes.map((r: AnyRoute) => ({ method: r.method.toUpperCase(), path: r.path, action: r.action, connector: false })),
    ...CONNECTOR_PREFIXES.flatMap((prefix) =>
      [...connectorRoutes, ...connectorRoutesFor(prefix)].map((r: AnyRoute) => ({
        method: r.method.toUpperCase(),
        path: prefix + r.path,
        action: r.action,
        connector: true,
      })),
    ),
  ];

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.createAccount("permissions");
    for (const action of ACTIONS) lacking.set(action, (await userWithStatement(server.http, admin.secret, { effect: "deny", actions: [action] })).secret);
  }, 60_000);
  afterAll(() => server?.stop());

  it("knows the action of every REST route and tRPC procedure, and every action is used", () => {
    const table = restTable();
    const problems: string[] = [];
    for (const [path, item] of Object.entries(OPENAPI.paths))
      for (const method of METHODS.filter((m) => m in item)) {
        const route = table.find((r) => r.method === method.toUpperCase() && r.path === path);
        const local = `${method.toUpperCase()} ${CONNECTOR_PREFIXES.reduce((p, prefix) => (p.startsWith(`${prefix}/`) ? p.slice(prefix.length) : p), path)}`;
        if (!route) {
          if (!NO_ACTION.has(local)) problems.push(`no route table entry for ${method.toUpperCase()} ${path}`);
        }
        else if (!route.action && !NO_ACTION.has(local)) problems.push(`no action for ${method.toUpperCase()} ${path}`);
      }
    for (const { path } of PROCEDURES) if (!(path in TRPC_ACTION)) problems.push(`no permission case for tRPC ${path}`);
    const used = new Set<string>([...table.map((r) => r.action), ...Object.values(TRPC_ACTION)].filter((a): a is Action => !!a));
    for (const action of ACTIONS) if (!used.has(action) && !UNROUTED_ACTIONS.has(action)) problems.push(`no route uses ${action}`);
    expect(problems).toEqual([]);
  });

  it("answers 403 on every route and procedure whose action the role lacks, and not 403 to the Super Admin", async () => {
    const problems: unknown[] = [];
    let checks = 0;
    for (const route of restTable()) {
      if (!route.action) continue;
      const url = fillPath(route.path, SAMPLE_PARAMS);
      const send = (secret: string) =>
        server.http(route.method, url, {
          headers: route.connector ? { "X-API-KEY": secret } : { authorization: secret },
          body: ["POST", "PUT", "PATCH"].includes(route.method) ? {} : undefined,
        });
      checks++;
      const denied = await send(lacking.get(route.action)!);
      const ok = route.connector
        ? denied.status === 403 && denied.body?.error?.code === "error.connector.forbidden"
        : denied.status === 403 && denied.body?.subcode === 403535;
      if (!ok) problems.push({ route: `${route.method} ${route.path}`, action: route.action, status: denied.status, text: denied.text });
      const allowed = await send(admin.secret);
      if (allowed.status === 403 && !/escalat|would permit/i.test(allowed.text)) problems.push({ route: `${route.method} ${route.path}`, problem: "403 for the Super Admin", text: allowed.text });
    }
    for (const { path, type } of PROCEDURES) {
      const action = TRPC_ACTION[path];
      if (!action) continue;
      const send = (secret: string) =>
        type === "subscription"
          ? subscriptionOpening(`${server.url}/trpc/${path}?input=${encodeURIComponent("{}")}`, secret)
          : type === "query"
            ? server.http("GET", `/trpc/${path}?input=${encodeURIComponent("{}")}`, { headers: { authorization: secret } })
            : server.http("POST", `/trpc/${path}`, { headers: { authorization: secret }, body: {} });
      checks++;
      const denied = await send(lacking.get(action)!);
      if (denied.status !== 403 || denied.body?.error?.data?.code !== "FORBIDDEN") problems.push({ path, action, status: denied.status, text: denied.text });
      // and it is that action, not another one, the procedure needs
      for (const other of ACTIONS) {
        if (other === action || ALSO_NEEDS[path]?.includes(other)) continue;
        const answer = await send(lacking.get(other)!);
        if (answer.body?.error?.data?.domain?.code === "access.actionNotPermitted")
          problems.push({ path, action, problem: `also needs ${other}`, text: answer.text });
      }
    }
    console.info(`permissions matrix: ${checks} route×action checks`);
    expect(problems).toEqual([]);
  }, 120_000);
});
