import { authorize } from "../access/authorize.js";
import type { Principal } from "../access/principal.js";
import type { CoreDeps } from "../deps.js";
import { newEvent } from "../events/new-event.js";
import type { Repositories } from "../store.js";
import { normalizeTemplateContent } from "./content.js";
import { relationshipErrors as E } from "./errors.js";
import { deviceIdOf, newId, newSecretKey } from "./ids.js";
import { compileQuery, type Field, type Query } from "./query.js";
import { isReferenceShaped, keyMatches, parseReference, referencesOf, type ReferenceSource } from "./reference.js";
import type {
  PasswordProtection,
  RelationshipTemplate,
  RelationshipTemplateRecord,
  RelationshipTemplateToken,
  TemplateLoad,
  TemplateTokenRecord,
} from "./template.js";
import {
  ADDRESS,
  isoDateTime,
  parseIso,
  TEMPLATE_ID,
  validateRequest,
  invalidProperty,
  type ObjectRule,
} from "./validation.js";

export interface PasswordProtectionInput {
  password: string;
  passwordIsPin?: true | undefined;
}

export interface CreateRelationshipTemplateInput {
  /** ISO 8601; must be in the future. */
  expiresAt: string;
  /** `{"@type": "ArbitraryRelationshipTemplateContent", value}` or a RelationshipTemplateContent. */
  content: unknown;
  maxNumberOfAllocations?: number | undefined;
  forIdentity?: string | undefined;
  passwordProtection?: PasswordProtectionInput | undefined;
}
export interface GetRelationshipTemplateInput {
  id: string;
}
export interface ListRelationshipTemplatesInput {
  /** Connector-style filters (see query.ts); unknown keys are rejected. */
  query?: Query | undefined;
  /** `o`: own templates only, `p`: loaded peer templates only. */
  ownerRestriction?: "o" | "p" | undefined;
}
export interface LoadRelationshipTemplateInput {
  /** A template or token truncated reference, or a 7.x reference URL. */
  reference: string;
  password?: string | undefined;
}
export interface CreateTemplateTokenInput {
  templateId: string;
  expiresAt?: string | undefined;
  ephemeral?: boolean | undefined;
  forIdentity?: string | undefined;
  passwordProtection?: PasswordProtectionInput | undefined;
}
export interface DeleteRelationshipTemplateInput {
  templateId: string;
}

const passwordProtection: ObjectRule = {
  type: "object",
  properties: {
    password: { type: "string", minLength: 1 },
    passwordIsPin: { type: "boolean", const: true },
  },
  required: ["password"],
  additional: false,
};

const createSchema: ObjectRule = {
  type: "object",
  properties: {
    expiresAt: isoDateTime,
    content: { type: "any" },
    maxNumberOfAllocations: { type: "number", minimum: 1 },
    forIdentity: { type: "string", pattern: ADDRESS },
    passwordProtection,
  },
  required: ["expiresAt", "content"],
  additional: false,
};
const getSchema: ObjectRule = {
  type: "object",
  properties: { id: { type: "string", pattern: TEMPLATE_ID } },
  required: ["id"],
  additional: false,
};
const deleteSchema: ObjectRule = {
  type: "object",
  properties: { templateId: { type: "string", pattern: TEMPLATE_ID } },
  required: ["templateId"],
  additional: false,
};
const listSchema: ObjectRule = {
  type: "object",
  properties: { query: { type: "any" }, ownerRestriction: { type: "any" } },
  additional: false,
};
const REFERENCE_INVALID = "token / relationship template reference invalid";
const loadSchema: ObjectRule = {
  type: "object",
  properties: { reference: { type: "string" }, password: { type: "string" } },
  required: ["reference"],
  additional: false,
  errorMessage: REFERENCE_INVALID,
};
const tokenSchema: ObjectRule = {
  type: "object",
  properties: {
    templateId: { type: "string", pattern: TEMPLATE_ID },
    expiresAt: isoDateTime,
    ephemeral: { type: "boolean" },
    forIdentity: { type: "string", pattern: ADDRESS },
    passwordProtection,
  },
  required: ["templateId"],
  additional: false,
};

const PIN = /^[0-9]{4,16}$/;
const TOKEN_DEFAULT_LIFETIME_MS = 12 * 24 * 60 * 60 * 1000;

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

function tokenView(deps: Pick<CoreDeps, "config">, token: TemplateTokenRecord, template: RelationshipTemplateRecord): RelationshipTemplateToken {
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

const TEMPLATE_FIELDS: Record<string, Field<RelationshipTemplate>> = {
  isOwn: { get: (t) => t.isOwn },
  createdAt: { get: (t) => t.createdAt, date: true },
  expiresAt: { get: (t) => t.expiresAt, date: true },
  createdBy: { get: (t) => t.createdBy },
  createdByDevice: { get: (t) => t.createdByDevice },
  maxNumberOfAllocations: { get: (t) => t.maxNumberOfAllocations },
  forIdentity: { get: (t) => t.forIdentity },
  passwordProtection: { get: (t) => t.passwordProtection },
  "passwordProtection.password": { get: (t) => t.passwordProtection?.password },
  "passwordProtection.passwordIsPin": { get: (t) => t.passwordProtection?.passwordIsPin },
  "passwordProtection.passwordLocationIndicator": { get: () => undefined },
};

/** A template the account may see: its own (not deleted) or one it has loaded. */
export async function findVisibleTemplate(
  repos: Repositories,
  account: string,
  id: string,
): Promise<{ template: RelationshipTemplateRecord; load: TemplateLoad | undefined }> {
  const template = await repos.relationshipTemplates.get(id);
  if (template && template.owner === account && template.deletedAt === null) return { template, load: undefined };
  if (template && template.owner !== account) {
    const load = await repos.relationshipTemplates.getLoad(account, id);
    if (load) return { template, load };
  }
  throw E.templateNotFound();
}

function checkPin(protection: PasswordProtectionInput | undefined): void {
  if (protection?.passwordIsPin && !PIN.test(protection.password)) throw E.pinFormat();
}

function futureTime(deps: CoreDeps, text: string): number {
  const at = parseIso(text, "expiresAt");
  if (at <= deps.clock.now()) throw E.expiresAtInPast();
  return at;
}

export const relationshipTemplateUseCases = (deps: CoreDeps) => ({
  async create(principal: Principal, raw: CreateRelationshipTemplateInput): Promise<RelationshipTemplate> {
    authorize(principal, "create_relationship_template");
    const input = validateRequest<CreateRelationshipTemplateInput>(createSchema, raw);
    const expiresAt = futureTime(deps, input.expiresAt);
    checkPin(input.passwordProtection);
    if (input.maxNumberOfAllocations !== undefined && !Number.isInteger(input.maxNumberOfAllocations)) {
      throw invalidProperty("maxNumberOfAllocations must be integer");
    }
    const { content } = normalizeTemplateContent(input.content, expiresAt);
    const record: RelationshipTemplateRecord = {
      id: newId("RLT"),
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
  },

  async get(principal: Principal, raw: GetRelationshipTemplateInput): Promise<RelationshipTemplate> {
    authorize(principal, "get_relationship_templates");
    const { id } = validateRequest<GetRelationshipTemplateInput>(getSchema, raw);
    const { template, load } = await findVisibleTemplate(deps.store.read, principal.account, id);
    return templateView(deps, template, principal.account, load);
  },

  /** Own and loaded templates (or only one kind), oldest first, filtered by the query. */
  async list(principal: Principal, raw: ListRelationshipTemplatesInput = {}): Promise<RelationshipTemplate[]> {
    authorize(principal, "get_relationship_templates");
    const input = validateRequest<ListRelationshipTemplatesInput>(listSchema, raw ?? {});
    if (input.ownerRestriction !== undefined && input.ownerRestriction !== "o" && input.ownerRestriction !== "p") {
      throw invalidProperty("ownerRestriction must be equal to one of the allowed values");
    }
    const matches = compileQuery(input.query, TEMPLATE_FIELDS);
    const repo = deps.store.read.relationshipTemplates;
    const [own, loaded] = await Promise.all([
      input.ownerRestriction === "p" ? [] : repo.listOwn(principal.account),
      input.ownerRestriction === "o" ? [] : repo.listLoaded(principal.account),
    ]);
    const views = [
      ...own.map((t) => templateView(deps, t, principal.account, undefined)),
      ...loaded.map(({ template, load }) => templateView(deps, template, principal.account, load)),
    ];
    return views.filter(matches);
  },

  /**
   * Loads a template by reference into the caller's store (idempotent). The key in the reference
   * is verified: a wrong key looks like an unknown id. A new loader uses one allocation.
   */
  async load(principal: Principal, raw: LoadRelationshipTemplateInput): Promise<RelationshipTemplate> {
    authorize(principal, "load_relationship_template");
    const input = validateRequest<LoadRelationshipTemplateInput>(loadSchema, raw);
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
  },

  async createToken(principal: Principal, raw: CreateTemplateTokenInput): Promise<RelationshipTemplateToken> {
    authorize(principal, "create_relationship_template");
    const input = validateRequest<CreateTemplateTokenInput>(tokenSchema, raw);
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
        id: newId("TOK"),
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
  },

  /** Deletes the caller's copy: an own template stops being loadable; a loaded one is forgotten. */
  async delete(principal: Principal, raw: DeleteRelationshipTemplateInput): Promise<void> {
    authorize(principal, "delete_relationship_template");
    const { templateId } = validateRequest<DeleteRelationshipTemplateInput>(deleteSchema, raw);
    await deps.store.transaction(async (tx) => {
      const { template } = await findVisibleTemplate(tx, principal.account, templateId);
      const deleted =
        template.owner === principal.account
          ? await tx.relationshipTemplates.markDeleted(principal.account, templateId, deps.clock.now())
          : await tx.relationshipTemplates.deleteLoad(principal.account, templateId);
      if (!deleted) throw E.templateNotFound();
      await tx.events.append([newEvent(deps, principal.account, "relationshipTemplate.deleted", templateId, principal.user)]);
    });
  },
});

