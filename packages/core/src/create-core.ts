import { accountUseCases } from "./access/account-info.js";
import { adminUseCases } from "./access/admin.js";
import { authenticate } from "./access/authenticate.js";
import { bootstrap, createAccount } from "./access/create-account.js";
import { roleUseCases } from "./access/roles.js";
import { secretUseCases } from "./access/secrets.js";
import { userUseCases } from "./access/users.js";
import type { CoreDeps } from "./deps.js";
import { eventUseCases } from "./events/events.js";
import { identityMetadataUseCases } from "./identity-metadata/use-cases.js";
import { relationshipTemplateUseCases, relationshipUseCases, templateLookup } from "./relationships/index.js";
import { identityUseCases } from "./identities/identities.js";
import { resolveUseCase } from "./identities/resolve.js";
import { twinUseCases } from "./twins/twins.js";
import { webhookDeliveryUseCases } from "./webhooks/delivery.js";
import { webhookUseCases } from "./webhooks/webhooks.js";

/**
 * All use cases, bound to their dependencies. Every surface (tRPC, both REST adapters, the CLI)
 * calls these and nothing else; each use case checks the action, validates, runs in one
 * transaction, appends its events, and returns or throws a DomainError.
 */
export function createCore(deps: CoreDeps) {
  const secrets = secretUseCases(deps);
  const templates = templateLookup(deps);
  return {
    access: {
      authenticate: authenticate(deps),
      ...accountUseCases(deps),
      users: userUseCases(deps),
      roles: roleUseCases(deps),
      secrets,
    },
    twins: twinUseCases(deps),
    identities: { ...identityUseCases(deps), resolve: resolveUseCase(deps) },
    relationshipTemplates: relationshipTemplateUseCases(deps),
    // Relationships read templates through their port, not the templates area's internals.
    relationships: relationshipUseCases(deps, templates),
    identityMetadata: identityMetadataUseCases(deps),
    events: eventUseCases(deps),
    webhooks: webhookUseCases(deps),
    /** For the server's delivery worker only: system-side, no principal. */
    webhookDelivery: webhookDeliveryUseCases(deps, templates),
    admin: {
      createAccount: createAccount(deps),
      issueSecret: secrets.issueForAdmin,
      bootstrap: bootstrap(deps),
      ...adminUseCases(deps),
    },
    health: {
      check: async (): Promise<{ database: boolean }> => ({ database: await deps.store.ping().catch(() => false) }),
    },
  };
}

export type Core = ReturnType<typeof createCore>;
