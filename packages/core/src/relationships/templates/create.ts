import { authorize } from "../../access/kernel.js";
import type { Principal } from "../../access/kernel.js";
import type { CoreDeps } from "../../deps.js";
import { newEvent } from "../../events/new-event.js";
import { newSecretKey } from "../../access/kernel.js";
import { invalidProperty, parseInput } from "../../shared/validation/index.js";
import { normalizeTemplateContent } from "../content.js";
import { checkPin, futureTime } from "./checks.js";
import { createTemplateSchema, type CreateRelationshipTemplateInput } from "./inputs.js";
import type { RelationshipTemplate, RelationshipTemplateRecord } from "./template.js";
import { templateView } from "./views.js";

export const createTemplate =
  (deps: CoreDeps) =>
  async (principal: Principal, raw: CreateRelationshipTemplateInput): Promise<RelationshipTemplate> => {
    authorize(principal, "create_relationship_template");
    const input = parseInput(createTemplateSchema, raw);
    const expiresAt = futureTime(deps, input.expiresAt);
    checkPin(input.passwordProtection);
    if (input.maxNumberOfAllocations !== undefined && !Number.isInteger(input.maxNumberOfAllocations)) {
      throw invalidProperty("maxNumberOfAllocations must be integer");
    }
    const { content } = normalizeTemplateContent(input.content, expiresAt);
    const record: RelationshipTemplateRecord = {
      id: deps.ids.enmeshedId("RLT"),
      owner: principal.account,
      createdBy: principal.address,
      createdAt: deps.clock.now(),
      expiresAt,
      content,
      maxNumberOfAllocations: input.maxNumberOfAllocations ?? null,
      forIdentity: input.forIdentity ?? null,
      password: input.passwordProtection?.password ?? null,
      passwordIsPin: input.passwordProtection?.passwordIsPin === true,
      secretKey: newSecretKey(),
      deletedAt: null,
    };
    return deps.store.transaction(async (tx) => {
      await tx.relationshipTemplates.insert(record);
      await tx.events.append([newEvent(deps, principal.account, "relationshipTemplate.created", record.id, principal.user)]);
      return templateView(deps, record, principal.account, undefined);
    });
  };
