import { BlockList, isIP } from "node:net";
import { invalid } from "../errors.js";

// Where a webhook may send. idhub is multi-tenant: a tenant must not be able to make the server
// POST into its own network (loopback admin ports, the cloud metadata service, private ranges).
// The URL is checked when stored; the server checks every address it actually connects to again
// (DNS can change between the two, and a name can resolve to anything).

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT (also Alibaba's metadata 100.100.100.200)
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, AWS/GCP/Azure metadata 169.254.169.254
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64, same reason
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7], // unique local (AWS's fd00:ec2::254 metadata)
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/**
 * True for loopback, private, link-local, metadata, reserved and multicast addresses. IPv4-mapped
 * IPv6 addresses (`::ffff:127.0.0.1`) are matched against the IPv4 list by BlockList itself.
 */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: never connect
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

export interface TargetPolicy {
  /** `IDHUB_WEBHOOKS_ALLOW_PRIVATE`: tests and single-tenant installs may target private addresses and plain http. */
  allowPrivate: boolean;
}

const MAX_URL_LENGTH = 2048;

const refused = (message: string) => invalid("webhook.urlRefused", message);

/** Checks a webhook URL when it is stored; returns it normalized. */
export function checkWebhookUrl(text: string, policy: TargetPolicy): string {
  if (text.length > MAX_URL_LENGTH) throw invalid("validation.invalidInput", `url: must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid("validation.invalidInput", "url: must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalid("validation.invalidInput", "url: must be an absolute http(s) URL");
  if (url.username || url.password) throw invalid("validation.invalidInput", "url: must not contain credentials");
  url.hash = "";
  if (policy.allowPrivate) return url.href;
  if (url.protocol !== "https:") throw refused("url: https is required");
  const host = hostOf(url);
  if (isIP(host) !== 0 && isForbiddenAddress(host)) throw refused(`url: the address ${host} is not a public address`);
  if (host === "localhost" || host.endsWith(".localhost")) throw refused("url: localhost is not a public address");
  return url.href;
}

/** The URL's host without IPv6 brackets (WHATWG URL has already normalized 0x7f.1-style IPv4). */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, "$1");
