import { invalid, type DomainError } from "../../errors.js";

/** The enmeshed runtime's code for every request-validation failure. */
export const INVALID_PROPERTY_VALUE = "error.runtime.validation.invalidPropertyValue";

/** A Connector-surface validation failure with upstream's code and this message. */
export const invalidProperty = (message: string): DomainError => invalid(INVALID_PROPERTY_VALUE, message);
