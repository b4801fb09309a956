import { DomainError, invalid, notFound, preconditionFailed } from "../errors.js";

// IdentityMetadata errors with the enmeshed runtime's exact codes and messages.

export const identityMetadataErrors = {
  unfamiliar: () =>
    invalid(
      "error.runtime.identityMetadata.unfamiliarReferencedIdentity",
      "The reference of the IdentityMetadata resolves neither to the address of a peer of a Relationship nor the address of the own Identity.",
    ),
  notFound: () =>
    notFound(
      "error.runtime.identityMetadata.notFound",
      "There is no stored IdentityMetadata for the specified combination of reference and key.",
    ),
  tooLarge: () =>
    new DomainError(
      "TOO_LARGE",
      "error.runtime.identityMetadata.valueTooLarge",
      "The value of the IdentityMetadata must not exceed 1 MB when serialized as JSON.",
    ),
  versionMismatch: () =>
    preconditionFailed("identityMetadata.versionMismatch", "The IdentityMetadata is not at the expected version."),
  badCursor: () => invalid("error.runtime.validation.invalidPropertyValue", "cursor is invalid"),
};
