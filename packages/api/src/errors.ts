import { DomainError, type ErrorKind } from "@idhub/core";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

/** The one mapping from domain error kinds to tRPC codes. */
export const TRPC_CODE: Record<ErrorKind, TRPC_ERROR_CODE_KEY> = {
  INVALID: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_LARGE: "PAYLOAD_TOO_LARGE",
};

/** What clients find in `error.data.domain`: the stable code and kind of a DomainError. */
export interface DomainErrorData {
  kind: ErrorKind;
  code: string;
  details?: Record<string, unknown>;
}

export const domainErrorData = (cause: unknown): DomainErrorData | null =>
  cause instanceof DomainError
    ? { kind: cause.kind, code: cause.code, ...(cause.details ? { details: cause.details } : {}) }
    : null;
