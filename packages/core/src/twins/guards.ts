import { notFound, preconditionFailed } from "../errors.js";
import type { Repositories } from "../storage.js";
import type { Twin } from "./twin.js";

export async function findTwin(repos: Pick<Repositories, "twins">, id: string, forUpdate = false): Promise<Twin> {
  const twin = forUpdate ? await repos.twins.getForUpdate(id) : await repos.twins.get(id);
  if (!twin) throw notFound("twin.notFound", "Twin not found.");
  return twin;
}

/** Optimistic concurrency: a present `expectedVersion` must equal the current version. */
export function assertVersion(current: { version: number }, expected: number | undefined): void {
  if (expected !== undefined && expected !== current.version) throw versionMismatch();
}

export const versionMismatch = () =>
  preconditionFailed("version.mismatch", "The object has changed: its version does not match the expected version.");
