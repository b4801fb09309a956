import { conflict, DomainError, invalid, notFound } from "../errors.js";
import { INVALID_PROPERTY_VALUE } from "../shared/validation/index.js";

// Every error of templates, tokens and relationships, with the enmeshed Connector's exact codes and
// messages (reference: connector-relationships.md). The codes are the DomainError codes themselves,
// so each surface only maps the kind to its status.

export const RECORD_NOT_FOUND = "error.runtime.recordNotFound";

const recordNotFound = (what: "Relationship" | "RelationshipTemplate" | "Token") =>
  notFound(RECORD_NOT_FOUND, `${what} not found. Make sure the ID exists and the record is not expired.`);

export const relationshipErrors = {
  relationshipNotFound: () => recordNotFound("Relationship"),
  templateNotFound: () => recordNotFound("RelationshipTemplate"),
  tokenNotFound: () => recordNotFound("Token"),

  templateContentType: () =>
    invalid(
      INVALID_PROPERTY_VALUE,
      "The content of a RelationshipTemplate must either be a RelationshipTemplateContent or an ArbitraryRelationshipTemplateContent.",
    ),
  creationContentType: () =>
    invalid(
      INVALID_PROPERTY_VALUE,
      "The creationContent of a Relationship must either be an ArbitraryRelationshipCreationContent or a RelationshipCreationContent.",
    ),
  creationContentMustBeArbitrary: () =>
    invalid(
      INVALID_PROPERTY_VALUE,
      "The creationContent of a Relationship must be an ArbitraryRelationshipCreationContent if the content of the RelationshipTemplate is an ArbitraryRelationshipTemplateContent.",
    ),
  creationContentMustBeResponse: () =>
    invalid(
      INVALID_PROPERTY_VALUE,
      "The creationContent of a Relationship must be a RelationshipCreationContent if the content of the RelationshipTemplate is a RelationshipTemplateContent.",
    ),
  noAcceptedIncomingRequest: () =>
    invalid(
      "error.runtime.relationships.noAcceptedIncomingRequest",
      "There is no accepted incoming Request associated with the RelationshipTemplateContent of the RelationshipTemplate.",
    ),
  valueNotDefined: (type: string, field = "value") =>
    invalid("error.runtime.requestDeserialization", `${type}.${field} :: Value is not defined`),
  unknownType: (type: string) =>
    invalid(
      "error.runtime.unknownType",
      `Type '${type}' with version 1 was not found within reflection classes. You might have to install a module first.`,
    ),
  typeNotString: () => invalid("error.runtime.servalError", "@type is not a string."),
  requestCannotExpireAfterTemplate: () =>
    invalid(
      "error.runtime.relationshipTemplates.requestCannotExpireAfterRelationshipTemplate",
      "The expiration date of the Request within the onNewRelationship property of the RelationshipTemplateContent must be set such that the expiration date of the RelationshipTemplate is not exceeded.",
    ),
  expiresAtInPast: () => invalid(INVALID_PROPERTY_VALUE, "'expiresAt' must be in the future"),
  pinFormat: () =>
    invalid(
      INVALID_PROPERTY_VALUE,
      "'passwordProtection.passwordIsPin' is true, hence 'passwordProtection.password' must consist of 4 to 16 digits from 0 to 9.",
    ),

  referenceInvalid: () => invalid(INVALID_PROPERTY_VALUE, "token / relationship template reference invalid"),
  truncatedReferenceComponents: (n: number) =>
    invalid(
      "error.core-types.invalidTruncatedReference",
      `A truncated reference must consist of either exactly 3 or exactly 5 components, but it consists of '${n}' components.`,
    ),
  invalidReference: () =>
    invalid("error.runtime.invalidReference", "The given reference is invalid for performing the requested action."),
  notIntendedForYou: (id: string) =>
    invalid(
      "error.transport.general.notIntendedForYou",
      `You tried to access personalized content '${id}'. You are either not logged in or the content is not intended for you.`,
    ),
  noPasswordProvided: () =>
    invalid("error.transport.noPasswordProvided", "You need to provide a password to perform this operation."),
  allocationsExhausted: () =>
    conflict(
      "error.platform.validation.relationshipTemplate.maxNumberOfAllocationsExhausted",
      "The maximum number of allocations (maxNumberOfAllocations) of the template you are trying to read is exhausted.",
    ),
  cannotCreateTokenForPeerTemplate: () =>
    invalid(
      "error.runtime.relationshipTemplates.cannotCreateTokenForPeerTemplate",
      "You cannot create a Token for a peer RelationshipTemplate.",
    ),
  personalizationMustBeInherited: () =>
    invalid(
      "error.runtime.relationshipTemplates.personalizationMustBeInherited",
      "If a RelationshipTemplate is personalized, Tokens created from it must have the same personalization.",
    ),
  passwordProtectionMustBeInherited: () =>
    invalid(
      "error.runtime.relationshipTemplates.passwordProtectionMustBeInherited",
      "If a RelationshipTemplate has password protection, Tokens created from it must have the same password protection.",
    ),

  cannotCreateWithYourself: () =>
    invalid(
      "error.platform.validation.relationship.cannotCreateRelationshipWithYourself",
      "You cannot send a relationship request to yourself.",
    ),
  currentlyExists: (status: string) =>
    conflict(
      "error.transport.relationships.relationshipCurrentlyExists",
      `No new Relationship to the peer can be created as a Relationship in status '${status}' currently exists.`,
    ),
  notYetDecomposedByPeer: () =>
    conflict(
      "error.transport.relationships.relationshipNotYetDecomposedByPeer",
      "No new Relationship can be created as the former Relationship is not yet decomposed by the peer.",
    ),
  templateExpired: (id: string) =>
    invalid(
      "error.transport.relationships.relationshipTemplateIsExpired",
      `The RelationshipTemplate '${id}' is already expired and therefore cannot be used to create a Relationship.`,
    ),
  wrongStatus: (id: string, status: string) =>
    conflict(
      "error.transport.relationships.wrongRelationshipStatus",
      `The Relationship '${id}' has the wrong status '${status}' to run this operation.`,
    ),
  onlyPeer: (message: string) => invalid("error.transport.relationships.operationOnlyAllowedForPeer", message),
  reactivationAlreadyRequested: (message: string) =>
    conflict("error.transport.relationships.reactivationAlreadyRequested", message),
  reactivationNotRequested: (id: string) =>
    conflict(
      "error.transport.relationships.reactivationNotRequested",
      `The Relationship '${id}' has no reactivation Request to respond to.`,
    ),
  concurrentChange: () =>
    conflict("error.runtime.relationships.concurrentModification", "The Relationship was changed concurrently; retry the operation."),
};

export const isConcurrentChange = (e: unknown) =>
  e instanceof DomainError && e.code === "error.runtime.relationships.concurrentModification";
