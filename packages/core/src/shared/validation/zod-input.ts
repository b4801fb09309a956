import type { z } from "zod";
import { invalid } from "../../errors.js";

/**
 * Parses use-case input with its zod schema. The first issue becomes an INVALID DomainError whose
 * message names the field, so every surface can show one clear sentence.
 */
export function parseWithZod<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join(".");
  throw invalid("validation.invalidInput", path ? `${path}: ${issue.message}` : issue.message, {
    path: issue.path.map(String),
  });
}
