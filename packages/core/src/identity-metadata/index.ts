export * from "./identity-metadata.js";
export { MAX_VALUE_BYTES as MAX_IDENTITY_METADATA_VALUE_BYTES } from "./use-cases.js";
export type { UpsertIdentityMetadataInput, IdentityMetadataKeyInput, DeleteIdentityMetadataInput, ListIdentityMetadataInput } from "./inputs.js";
