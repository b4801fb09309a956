import { connectorPublicKey } from "../access/kernel.js";
import type { Repositories } from "../storage.js";
import type { Relationship, StoredRelationship } from "./relationship.js";
import type { Side } from "./status.js";
import type { TemplateLookup } from "./template-port.js";

// A relationship as one of its two parties sees it (the Connector DTO before the wire reshaping).

/** The caller's side of the relationship, unless it is not a party or has decomposed its side. */
export const sideOf = (r: StoredRelationship, account: string): Side | undefined =>
  r.from === account && !r.fromDecomposed ? "from" : r.to === account && !r.toDecomposed ? "to" : undefined;

export const partyOf = (r: StoredRelationship, side: Side) => (side === "from" ? r.fromParty : r.toParty);
export const otherSide = (side: Side): Side => (side === "from" ? "to" : "from");

/** Renders relationships for one account, with the templates read in one query. */
export async function viewsFor(
  templates: TemplateLookup,
  repos: Pick<Repositories, "relationshipTemplates">,
  account: string,
  rels: StoredRelationship[],
): Promise<Relationship[]> {
  if (rels.length === 0) return [];
  const ids = [...new Set(rels.map((r) => r.templateId))];
  const needLoads = [...new Set(rels.filter((r) => r.from === account).map((r) => r.templateId))];
  const [records, loads] = await Promise.all([
    repos.relationshipTemplates.getMany(ids),
    needLoads.length ? repos.relationshipTemplates.getLoads(account, needLoads) : [],
  ]);
  const templateById = new Map(records.map((t) => [t.id, t]));
  const loadByTemplate = new Map(loads.map((l) => [l.template, l]));
  return rels.map((r) => {
    const template = templateById.get(r.templateId);
    if (!template) throw new Error(`relationship ${r.id} references a missing template`);
    const peer = partyOf(r, r.from === account ? "to" : "from");
    return {
      id: r.id,
      templateId: r.templateId,
      template: templates.view(template, account, loadByTemplate.get(r.templateId)),
      status: r.status,
      peer: peer.address,
      peerIdentity: { address: peer.address, publicKey: connectorPublicKey(peer.publicKey) },
      creationContent: r.creationContent,
      auditLog: r.auditLog,
    };
  });
}

/**
 * The relationship as `account` sees it (what its own GET answers), or undefined when that account
 * cannot see it (unknown, or decomposed on its side). For system readers acting for an account
 * without a caller, such as webhook delivery.
 */
export async function relationshipSeenBy(
  templates: TemplateLookup,
  repos: Pick<Repositories, "relationships" | "relationshipTemplates">,
  account: string,
  id: string,
): Promise<Relationship | undefined> {
  const rel = await repos.relationships.get(id);
  if (!rel || !sideOf(rel, account)) return undefined;
  return viewFor(templates, repos, account, rel);
}

export const viewFor = async (templates: TemplateLookup, repos: Pick<Repositories, "relationshipTemplates">, account: string, rel: StoredRelationship): Promise<Relationship> =>
  (await viewsFor(templates, repos, account, [rel]))[0]!;
