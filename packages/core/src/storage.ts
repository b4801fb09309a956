import type {
  AccountRepository,
  RoleRepository,
  SecretRepository,
  UserRepository,
} from "./access/repositories.js";
import type { EventRepository } from "./events/repository.js";
import type { IdentityMetadataRepository } from "./identity-metadata/identity-metadata.js";
import type { RelationshipRepository, RelationshipTemplateRepository } from "./relationships/repositories.js";
import type { IdentityRepository } from "./identities/repository.js";
import type { TwinRepository } from "./twins/repository.js";
import type { WebhookRepository } from "./webhooks/repository.js";

/** All repositories, bound to one connection or one transaction. */
export interface Repositories {
  accounts: AccountRepository;
  roles: RoleRepository;
  users: UserRepository;
  secrets: SecretRepository;
  events: EventRepository;
  relationshipTemplates: RelationshipTemplateRepository;
  relationships: RelationshipRepository;
  identityMetadata: IdentityMetadataRepository;
  twins: TwinRepository;
  identities: IdentityRepository;
  webhooks: WebhookRepository;
}

/**
 * The storage port. `transaction` commits when `work` resolves and rolls back when it throws;
 * use cases put every write and its events in one transaction. `read` serves plain reads.
 * Inside `work`, use only `tx`: `read`, `ping` or a nested `transaction` there would run outside
 * the transaction (and on SQLite wait for it forever), so the storage layer refuses them.
 */
export interface Store {
  readonly read: Repositories;
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Cheap liveness probe for /health. */
  ping(): Promise<boolean>;
}
