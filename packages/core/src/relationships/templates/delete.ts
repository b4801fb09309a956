import { authorize } from "../../access/kernel.js";
import type { Principal } from "../../access/kernel.js";
import type { CoreDeps } from "../../deps.js";
import { newEvent } from "../../events/new-event.js";
import { parseInput } from "../../shared/validation/index.js";
import { relationshipErrors as E } from "../errors.js";
import { deleteTemplateSchema, type DeleteRelationshipTemplateInput } from "./inputs.js";
import { findVisibleTemplate } from "./lookup.js";

/** Deletes the caller's copy: an own template stops being loadable; a loaded one is forgotten. */
export const deleteTemplate =
  (deps: CoreDeps) =>
  async (principal: Principal, raw: DeleteRelationshipTemplateInput): Promise<void> => {
    authorize(principal, "delete_relationship_template");
    const { templateId } = parseInput(deleteTemplateSchema, raw);
    await deps.store.transaction(async (tx) => {
      const { template } = await findVisibleTemplate(tx, principal.account, templateId);
      const deleted =
        template.owner === principal.account
          ? await tx.relationshipTemplates.markDeleted(principal.account, templateId, deps.clock.now())
          : await tx.relationshipTemplates.deleteLoad(principal.account, templateId);
      if (!deleted) throw E.templateNotFound();
      await tx.events.append([newEvent(deps, principal.account, "relationshipTemplate.deleted", templateId, principal.user)]);
    });
  };
