import { authorize } from "../access/kernel.js";
import type { Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../shared/validation/index.js";
import type { Repositories } from "../storage.js";
import { normalizeCreationContent, templateContentKind } from "./content.js";
import { relationshipErrors as E } from "./errors.js";
import { canCreateRelationshipSchema, createRelationshipSchema, type CanCreateRelationshipInput, type CreateRelationshipInput } from "./inputs.js";
import { auditEntry, partyEvents } from "./records.js";
import type { CanCreateResult, Relationship, RelationshipRecord } from "./relationship.js";
import type { TemplateLookup } from "./template-port.js";
import { viewFor } from "./views.js";

/** The checks shared by create and canCreate (7.x order), up to the content. */
async function checkCreatable(deps: CoreDeps, templates: TemplateLookup, repos: Pick<Repositories, "relationshipTemplates" | "relationships">, principal: Principal, templateId: string) {
  const { template } = await templates.findVisible(repos, principal.account, templateId);
  if (template.owner !== principal.account) {
    const existing = await repos.relationships.findOpen(principal.account, template.owner);
    if (existing) {
      const decomposedBySelf = existing.from === principal.account ? existing.fromDecomposed : existing.toDecomposed;
      throw decomposedBySelf ? E.notYetDecomposedByPeer() : E.currentlyExists(existing.status);
    }
  }
  if (template.expiresAt <= deps.clock.now()) throw E.templateExpired(template.id);
  if (template.owner === principal.account) throw E.cannotCreateWithYourself();
  return template;
}

/** A Pending relationship from the caller to the template's owner. */
export const createRelationship =
  (deps: CoreDeps, templates: TemplateLookup) =>
  async (principal: Principal, raw: CreateRelationshipInput): Promise<Relationship> => {
    authorize(principal, "create_relationship");
    const input = parseInput(createRelationshipSchema, raw);
    return deps.store.transaction(async (tx) => {
      const template = await checkCreatable(deps, templates, tx, principal, input.templateId);
      const creationContent = normalizeCreationContent(input.creationContent, templateContentKind(template.content));
      const now = deps.clock.now();
      const record: RelationshipRecord = {
        id: deps.ids.enmeshedId("REL"),
        templateId: template.id,
        from: principal.account,
        to: template.owner,
        status: "Pending",
        creationContent,
        auditLog: [auditEntry(deps, principal, "Creation", "Pending")],
        fromDecomposed: false,
        toDecomposed: false,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      if (!(await tx.relationships.insert(record))) {
        // Another request created one between the two accounts first: the unique index decided.
        const existing = await tx.relationships.findOpen(principal.account, template.owner);
        throw E.currentlyExists(existing?.status ?? "Pending");
      }
      await tx.events.append(partyEvents(deps, record, "relationship.created", principal.user, { status: "Pending" }));
      const stored = await tx.relationships.get(record.id);
      return viewFor(templates, tx, principal.account, stored!);
    });
  };

/** The checks of `create` without creating; only a malformed request fails, the rest is reported. */
export const canCreateRelationship =
  (deps: CoreDeps, templates: TemplateLookup) =>
  async (principal: Principal, raw: CanCreateRelationshipInput): Promise<CanCreateResult> => {
    authorize(principal, "create_relationship");
    const input = parseInput(canCreateRelationshipSchema, raw);
    try {
      const template = await checkCreatable(deps, templates, deps.store.read, principal, input.templateId);
      if (input.creationContent !== undefined) {
        normalizeCreationContent(input.creationContent, templateContentKind(template.content));
      }
      return { isSuccess: true };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { isSuccess: false, code: error.code, message: error.message };
    }
  };
