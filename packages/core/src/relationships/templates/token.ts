import { authorize } from "../../access/kernel.js";
import { newSecretKey } from "../../access/kernel.js";
import type { Principal } from "../../access/kernel.js";
import type { CoreDeps } from "../../deps.js";
import { newEvent } from "../../events/new-event.js";
import { parseInput } from "../../shared/validation/index.js";
import { relationshipErrors as E } from "../errors.js";
import { checkPin, futureTime } from "./checks.js";
import { createTokenSchema, type CreateTemplateTokenInput } from "./inputs.js";
import { findVisibleTemplate } from "./lookup.js";
import type { RelationshipTemplateToken, TemplateTokenRecord } from "./template.js";
import { tokenView } from "./views.js";

const TOKEN_DEFAULT_LIFETIME_MS = 12 * 24 * 60 * 60 * 1000;

/** A token for one of the caller's templates; personalization and password must be the template's. */
export const createTemplateToken =
  (deps: CoreDeps) =>
  async (principal: Principal, raw: CreateTemplateTokenInput): Promise<RelationshipTemplateToken> => {
    authorize(principal, "create_relationship_template");
    const input = parseInput(createTokenSchema, raw);
    const expiresAt = input.expiresAt === undefined ? undefined : futureTime(deps, input.expiresAt);
    checkPin(input.passwordProtection);
    return deps.store.transaction(async (tx) => {
      const { template } = await findVisibleTemplate(tx, principal.account, input.templateId);
      if (template.owner !== principal.account) throw E.cannotCreateTokenForPeerTemplate();
      if (template.forIdentity !== null && input.forIdentity !== template.forIdentity) throw E.personalizationMustBeInherited();
      if (
        template.password !== null &&
        (input.passwordProtection?.password !== template.password ||
          (input.passwordProtection?.passwordIsPin === true) !== template.passwordIsPin)
      ) {
        throw E.passwordProtectionMustBeInherited();
      }
      const now = deps.clock.now();
      const token: TemplateTokenRecord = {
        id: deps.ids.enmeshedId("TOK"),
        owner: principal.account,
        createdBy: principal.address,
        template: template.id,
        createdAt: now,
        expiresAt: expiresAt ?? template.expiresAt ?? now + TOKEN_DEFAULT_LIFETIME_MS,
        isEphemeral: input.ephemeral ?? true,
        forIdentity: input.forIdentity ?? null,
        password: input.passwordProtection?.password ?? null,
        passwordIsPin: input.passwordProtection?.passwordIsPin === true,
        secretKey: newSecretKey(),
      };
      await tx.relationshipTemplates.insertToken(token);
      await tx.events.append([
        newEvent(deps, principal.account, "relationshipTemplate.tokenCreated", template.id, principal.user, { token: token.id }),
      ]);
      return tokenView(deps, token, template);
    });
  };
