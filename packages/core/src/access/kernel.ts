// The access kernel: what every other area needs of access — who is calling (Principal), the
// actions, the statement check and `authorize`, the first step of every use case. It depends on
// nothing but errors and shared types, so any area can use it without reaching into access's use
// cases or repositories.
export type { Principal } from "./principal.js";
export { ACTIONS, type Action } from "./actions.js";
export { isWithin, permits, type Statement } from "./statement.js";
export { authorize } from "./authorize.js";

// Pure helpers of access other areas use: the address pattern, template keys, public keys.
export { ADDRESS_PATTERN } from "./address.js";
export { newSecretKey } from "./credentials.js";
export { connectorPublicKey } from "./keys.js";
