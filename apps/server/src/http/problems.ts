/**
 * Failures the HTTP layer detects before any use case runs. Each surface's renderer maps them to
 * its own envelope, exactly like DomainErrors.
 */
export type ProblemKind =
  | "badJson"
  | "badUtf8"
  | "tooLarge"
  | "unknownRoute"
  | "methodNotAllowed"
  | "notAcceptable";

export class HttpProblem extends Error {
  override readonly name = "HttpProblem";
  constructor(
    readonly kind: ProblemKind,
    /** For methodNotAllowed: the methods the path does support. */
    readonly allow: readonly string[] = [],
  ) {
    super(kind);
  }
}

export const isHttpProblem = (e: unknown): e is HttpProblem => e instanceof HttpProblem;
