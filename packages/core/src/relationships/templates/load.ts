import { authorize } from "../../access/kernel.js";
import type { Principal } from "../../access/kernel.js";
import type { CoreDeps } from "../../deps.js";
import { newEvent } from "../../events/new-event.js";
import { invalidProperty, parseInput } from "../../shared/validation/index.js";
import { relationshipErrors as E } from "../errors.js";
import { loadTemplateSchema, REFERENCE_INVALID, type LoadRelationshipTemplateInput } from "./inputs.js";
import { isReferenceShaped, keyMatches, parseReference } from "./reference.js";
import type { RelationshipTemplate, RelationshipTemplateRecord, TemplateLoad } from "./template.js";
import { templateView } from "./views.js";

/**
 * Loads a template by reference into the caller's store (idempotent). The key in the reference
 * is verified: a wrong key looks like an unknown id. A new loader uses one allocation.
 */
export const loadTemplate =
  (deps: CoreDeps) =>
  async (principal: Principal, raw: LoadRelationshipTemplateInput): Promise<RelationshipTemplate> => {
    authorize(principal, "load_relationship_template");
    const input = parseInput(loadTemplateSchema, raw);
    if (!isReferenceShaped(input.reference)) throw invalidProperty(REFERENCE_INVALID);
    const reference = parseReference(input.reference);
    return deps.store.transaction(async (tx) => {
      const now = deps.clock.now();
      let template: RelationshipTemplateRecord | undefined;
      let passwordChecked = false;
      if (reference.kind === "token") {
        const token = await tx.relationshipTemplates.getToken(reference.id);
        if (!token || !keyMatches(reference.key, token.secretKey) || token.expiresAt <= now) throw E.tokenNotFound();
        if (token.owner !== principal.account) {
          if (token.forIdentity !== null && token.forIdentity !== principal.address) throw E.notIntendedForYou(token.id);
          if (token.password !== null) {
            if (input.password === undefined) throw E.noPasswordProvided();
            if (!keyMatches(input.password, token.password)) throw E.tokenNotFound();
            passwordChecked = true;
          }
        }
        template = await tx.relationshipTemplates.get(token.template);
        if (!template) throw E.templateNotFound();
      } else {
        template = await tx.relationshipTemplates.get(reference.id);
        if (!template || !keyMatches(reference.key, template.secretKey)) throw E.templateNotFound();
      }

      if (template.owner === principal.account) {
        if (template.deletedAt !== null) throw E.templateNotFound();
        return templateView(deps, template, principal.account, undefined);
      }
      const existing = await tx.relationshipTemplates.getLoad(principal.account, template.id);
      if (existing) return templateView(deps, template, principal.account, existing);

      if (template.deletedAt !== null || template.expiresAt <= now) throw E.templateNotFound();
      if (template.forIdentity !== null && template.forIdentity !== principal.address) throw E.notIntendedForYou(template.id);
      if (template.password !== null && !passwordChecked) {
        if (input.password === undefined) throw E.noPasswordProvided();
        if (!keyMatches(input.password, template.password)) throw E.templateNotFound();
      }
      const load: TemplateLoad = {
        template: template.id,
        account: principal.account,
        password: template.password === null ? null : (input.password ?? null),
        createdAt: now,
      };
      if (!(await tx.relationshipTemplates.insertLoad(load))) {
        // Loaded concurrently by another request of the same account: that load stands.
        const current = await tx.relationshipTemplates.getLoad(principal.account, template.id);
        return templateView(deps, template, principal.account, current ?? load);
      }
      if (!(await tx.relationshipTemplates.allocate(template.id))) throw E.allocationsExhausted();
      await tx.events.append([
        newEvent(deps, principal.account, "relationshipTemplate.loaded", template.id, principal.user, { createdBy: template.createdBy }),
        newEvent(deps, template.owner, "relationshipTemplate.allocated", template.id, principal.user, { by: principal.address }),
      ]);
      return templateView(deps, template, principal.account, load);
    });
  };
