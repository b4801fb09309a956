import type { CoreDeps } from "../../deps.js";
import { deviceIdOf } from "../ids.js";
import { referencesOf, type ReferenceSource } from "./reference.js";
import type {
  PasswordProtection,
  RelationshipTemplate,
  RelationshipTemplateRecord,
  RelationshipTemplateToken,
  TemplateLoad,
  TemplateTokenRecord,
} from "./template.js";

// Templates and tokens as an account sees them (the Connector DTOs before the wire reshaping).

/** Where 7.x reference URLs point (there is no backbone: the account host stands in). */
export const referenceBaseUrl = (deps: Pick<CoreDeps, "config">) => `https://${deps.config.addressHost}`;

const protectionOf = (password: string | null, isPin: boolean): PasswordProtection | undefined =>
  password === null ? undefined : { password, ...(isPin ? { passwordIsPin: true as const } : {}) };

const referenceSource = (r: { id: string; secretKey: string; forIdentity: string | null; password: string | null; passwordIsPin: boolean }): ReferenceSource => ({
  id: r.id,
  secretKey: r.secretKey,
  forIdentity: r.forIdentity,
  protection: r.password === null ? null : { password: r.password, passwordIsPin: r.passwordIsPin },
});

/** The template as `viewer` sees it: own, or a peer template with the password the viewer supplied. */
export function templateView(
  deps: Pick<CoreDeps, "config">,
  t: RelationshipTemplateRecord,
  viewer: string,
  load: TemplateLoad | undefined,
): RelationshipTemplate {
  const isOwn = t.owner === viewer;
  const protection =
    t.password === null ? undefined : isOwn ? protectionOf(t.password, t.passwordIsPin) : protectionOf(load?.password ?? null, t.passwordIsPin);
  return {
    id: t.id,
    isOwn,
    createdBy: t.createdBy,
    createdByDevice: deviceIdOf(t.owner),
    createdAt: t.createdAt,
    content: t.content,
    expiresAt: t.expiresAt,
    ...(t.maxNumberOfAllocations !== null ? { maxNumberOfAllocations: t.maxNumberOfAllocations } : {}),
    ...(t.forIdentity !== null ? { forIdentity: t.forIdentity } : {}),
    ...(protection ? { passwordProtection: protection } : {}),
    reference: referencesOf(referenceSource(t), referenceBaseUrl(deps)),
  };
}

export function tokenView(deps: Pick<CoreDeps, "config">, token: TemplateTokenRecord, template: RelationshipTemplateRecord): RelationshipTemplateToken {
  const protection = protectionOf(token.password, token.passwordIsPin);
  return {
    id: token.id,
    isOwn: true,
    createdBy: token.createdBy,
    createdByDevice: deviceIdOf(token.owner),
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    isEphemeral: token.isEphemeral,
    content: {
      "@type": "TokenContentRelationshipTemplate",
      templateId: template.id,
      secretKey: { "@type": "CryptoSecretKey", alg: 3, key: template.secretKey },
      ...(token.forIdentity !== null ? { forIdentity: token.forIdentity } : {}),
    },
    ...(token.forIdentity !== null ? { forIdentity: token.forIdentity } : {}),
    ...(protection ? { passwordProtection: protection } : {}),
    reference: referencesOf(referenceSource(token), referenceBaseUrl(deps)),
  };
}
