/**
 * The one error type of the domain. Every surface maps it exactly once:
 * tRPC in @idhub/api's error formatter, each REST envelope in its adapter's renderer.
 */
export type ErrorKind =
  | "INVALID"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TOO_LARGE";

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly kind: ErrorKind,
    /** Stable machine-readable code, e.g. `access.role.inUse`. */
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError("INVALID", code, message, details);
export const unauthenticated = (code: string, message: string) =>
  new DomainError("UNAUTHENTICATED", code, message);
export const forbidden = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError("FORBIDDEN", code, message, details);
export const notFound = (code: string, message: string) => new DomainError("NOT_FOUND", code, message);
export const conflict = (code: string, message: string) => new DomainError("CONFLICT", code, message);
export const preconditionFailed = (code: string, message: string) =>
  new DomainError("PRECONDITION_FAILED", code, message);
