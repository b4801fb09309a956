import { describe, expect, it } from "vitest";
import {
  checkWebhookUrl,
  CONNECTOR_RELATIONSHIP_TRIGGER,
  DomainError,
  isForbiddenAddress,
  matchesTypes,
  retryDelay,
  type DomainEvent,
  type Relationship,
} from "../../src/index.js";
import { messagesOf } from "../../src/webhooks/messages.js";

describe("webhook target addresses", () => {
  it.each([
    "127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "169.254.169.254",
    "100.100.100.200", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "64:ff9b::a00:1", "not an address",
  ])("refuses %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111"])("allows the public address %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe("webhook URLs when stored", () => {
  const strict = { allowPrivate: false };
  const refusal = (url: string) => {
    try {
      checkWebhookUrl(url, strict);
    } catch (error) {
      return (error as DomainError).code;
    }
    return "accepted";
  };

  it.each([
    ["http://127.0.0.1:8080/hook", "webhook.urlRefused"], // https required
    ["https://127.0.0.1:8080/hook", "webhook.urlRefused"],
    ["http://169.254.169.254/", "webhook.urlRefused"],
    ["https://169.254.169.254/latest/meta-data", "webhook.urlRefused"],
    ["https://[::1]/hook", "webhook.urlRefused"],
    ["https://[::ffff:127.0.0.1]/hook", "webhook.urlRefused"],
    ["https://0x7f.1/hook", "webhook.urlRefused"], // WHATWG URL reads it as 127.0.0.1
    ["https://2130706433/hook", "webhook.urlRefused"],
    ["https://10.1.2.3/hook", "webhook.urlRefused"],
    ["https://localhost/hook", "webhook.urlRefused"],
    ["https://api.localhost/hook", "webhook.urlRefused"],
    ["ftp://example.com/", "validation.invalidInput"],
    ["not a url", "validation.invalidInput"],
    ["https://user:pw@example.com/", "validation.invalidInput"],
    [`https://example.com/${"a".repeat(2100)}`, "validation.invalidInput"],
  ])("%s → %s", (url, code) => {
    expect(refusal(url)).toBe(code);
  });

  it("accepts https to a public name or address, without the fragment", () => {
    expect(checkWebhookUrl("https://hooks.example.com/in?x=1#frag", strict)).toBe("https://hooks.example.com/in?x=1");
    expect(checkWebhookUrl("https://93.184.216.34/in", strict)).toBe("https://93.184.216.34/in");
  });

  it("IDHUB_WEBHOOKS_ALLOW_PRIVATE allows plain http and private addresses", () => {
    expect(checkWebhookUrl("http://127.0.0.1:9/hook", { allowPrivate: true })).toBe("http://127.0.0.1:9/hook");
  });
});

describe("retry back-off", () => {
  const policy = { minBackoffMs: 1_000, maxBackoffMs: 3_600_000 };

  it("doubles from about 1 s, with jitter, and stays within 1 s … 1 h", () => {
    for (const random of [0, 0.5, 0.999]) {
      const delays = Array.from({ length: 30 }, (_, i) => retryDelay(i + 1, { ...policy, random: () => random }));
      expect(delays.every((d) => d >= 1_000 && d <= 3_600_000)).toBe(true);
      expect(delays.at(-1)).toBeGreaterThan(2_000_000); // reaches the cap region
    }
    expect(retryDelay(1, { ...policy, random: () => 0.5 })).toBe(1_000);
    expect(retryDelay(4, { ...policy, random: () => 0.5 })).toBe(8_000);
    expect(retryDelay(4, { ...policy, random: () => 0 })).toBe(6_000);
    expect(retryDelay(4, { ...policy, random: () => 0.999 })).toBe(9_996);
    expect(retryDelay(1_000, { ...policy, random: () => 0.999 })).toBe(3_600_000);
  });
});

describe("messages of an event", () => {
  const event: DomainEvent = { seq: 7, id: "e1", account: "a", type: "relationship.statusChanged", subject: "REL1", actor: "u", at: 1, data: null };
  const relationship = { id: "REL1" } as Relationship;

  it("is the idhub event, then the Connector trigger for a relationship the account sees", () => {
    const messages = messagesOf(event, relationship, null);
    expect(messages.map((m) => [m.id, m.trigger, m.part, m.parts])).toEqual([
      ["e1", "relationship.statusChanged", 0, 2],
      ["e1.connector", CONNECTOR_RELATIONSHIP_TRIGGER, 1, 2],
    ]);
    expect(messagesOf(event, undefined, null).map((m) => m.trigger)).toEqual(["relationship.statusChanged"]);
  });

  it("filters by exact triggers and prefixes", () => {
    expect(messagesOf(event, relationship, [CONNECTOR_RELATIONSHIP_TRIGGER]).map((m) => [m.id, m.part, m.parts])).toEqual([["e1.connector", 0, 1]]);
    expect(matchesTypes(["relationship.*"], "relationship.created")).toBe(true);
    expect(matchesTypes(["relationship.*"], "relationshipTemplate.created")).toBe(false);
    expect(matchesTypes(["twin.created"], "twin.updated")).toBe(false);
    expect(matchesTypes(null, "anything")).toBe(true);
  });
});
