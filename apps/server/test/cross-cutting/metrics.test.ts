import parsePrometheusTextFormat, { type PrometheusFamily } from "parse-prometheus-text-format";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { AppRouter } from "@idhub/api";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startTestServer, withServer } from "../support/server.js";

const scrape = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { headers });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
};

const family = (families: PrometheusFamily[], name: string) => {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no metric ${name}`);
  return found;
};

describe("Prometheus metrics on IDHUB_METRICS_PORT", () => {
  const fx = withServer("sqlite", {}, { IDHUB_METRICS_PORT: "0" });

  it("count every request by surface, route template and status after a mixed workload; no id or name in any label", async () => {
    const acme = await fx.server.createAccount("acme-metrics-name");
    const secret = acme.secret;
    const sent = new Map<string, number>();
    const send = async (key: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      sent.set(key, (sent.get(key) ?? 0) + 1);
      return fx.server.http(method, path, { secret, body, headers });
    };

    const twins: string[] = [];
    for (let i = 0; i < 3; i++) twins.push((await send("trustedtwin POST /twins 201", "POST", "/twins", { description: { n: i } })).body.creation_certificate.uuid);
    for (const twin of twins) await send("trustedtwin GET /twins/{twin} 200", "GET", `/twins/${twin}`);
    for (const twin of twins.slice(0, 2)) {
      await send("trustedtwin POST /twins/{twin}/identities 201", "POST", `/twins/${twin}/identities`, {
        identities: { [`RFID#secret-tag-${twin.slice(0, 8)}`]: {} },
      });
    }
    await send("trustedtwin GET /resolve/{identity} 200", "GET", `/resolve/${encodeURIComponent(`RFID#secret-tag-${twins[0]!.slice(0, 8)}`)}`);
    await send("trustedtwin GET /twins/{twin} 404", "GET", "/twins/00000000-0000-4000-8000-000000000000");
    await send("connector PUT /api/v2/IdentityMetadata 200", "PUT", "/api/v2/IdentityMetadata", { reference: acme.account.address, key: "k", value: 1 });
    await send("connector GET /api/core/v1/IdentityMetadata 200", "GET", `/api/core/v1/IdentityMetadata?reference=${acme.account.address}&key=k`);
    await send("trustedtwin unmatched 404", "GET", `/no/such/${twins[0]}`);
    sent.set("trustedtwin GET /whoami 401", 1);
    await fx.server.http("GET", "/whoami", { secret: "not-a-secret" });

    const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${fx.server.url}/trpc`, headers: { authorization: secret } })] });
    await trpc.access.whoami.query();
    await trpc.access.whoami.query();
    sent.set("trpc GET /trpc/access.whoami 200", 2);

    const scraped = await scrape(fx.server.metricsUrl!);
    expect(scraped.status).toBe(200);
    expect(scraped.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(scraped.text);

    const counted = new Map<string, number>();
    for (const sample of family(families, "idhub_http_requests_total").metrics) {
      const l = sample.labels!;
      const key = l.route === "unmatched" ? `${l.surface} unmatched ${l.status}` : `${l.surface} ${l.method} ${l.route} ${l.status}`;
      counted.set(key, (counted.get(key) ?? 0) + Number(sample.value));
    }
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(sent));

    // The parser drops the labels of labelled histograms (yunyu/parse-prometheus-text-format#13),
    // so the histogram's per-route count and sum are read from the text lines themselves.
    expect(family(families, "idhub_http_request_duration_seconds").type).toBe("HISTOGRAM");
    const series = '{surface="trustedtwin",route="/twins/{twin}",method="GET",status="200"}';
    expect(scraped.text).toContain(`idhub_http_request_duration_seconds_count${series} 3\n`);
    const sum = scraped.text.match(new RegExp(`idhub_http_request_duration_seconds_sum${series.replace(/[{}]/g, "\\$&")} ([0-9.e-]+)`));
    expect(Number(sum?.[1])).toBeGreaterThan(0);

    const forbidden = [acme.account.id, acme.user.id, acme.account.address, "acme-metrics-name", "secret-tag", ...twins];
    for (const f of families) {
      for (const sample of f.metrics) {
        for (const value of Object.values(sample.labels ?? {})) {
          for (const bad of forbidden) expect(value, `${f.name} label`).not.toContain(bad);
          expect(value).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/); // no UUID-like value at all
        }
      }
    }
    // Process metrics and the domain metrics whose producers run here.
    expect(Number(family(families, "idhub_process_resident_memory_bytes").metrics[0]!.value)).toBeGreaterThan(0);
    // Every write above ran one use-case transaction (3 twins, 2 identity batches, 1 metadata upsert).
    const commits = Number(/idhub_db_transaction_duration_seconds_count\{outcome="commit"\} (\d+)/.exec(scraped.text)?.[1]);
    expect(commits).toBeGreaterThanOrEqual(6);
    expect(Number(family(families, "idhub_feed_subscribers").metrics[0]!.value)).toBe(0);
    // Those transactions went through group commit (one group per event-loop turn, here mostly 1).
    expect(Number(/idhub_group_commit_size_count (\d+)/.exec(scraped.text)?.[1])).toBeGreaterThanOrEqual(1);
    const logins = family(families, "idhub_login_rejections_total").metrics.find((m) => m.labels?.outcome === "failure");
    expect(Number(logins?.value)).toBe(1);
  });

  it("are not served on the public port", async () => {
    const reply = await fx.server.http("GET", "/metrics");
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain("idhub_http_requests_total");
  });
});

describe("metrics configuration", () => {
  it("is off by default: no listener, no /metrics", async () => {
    const server = await startTestServer();
    try {
      expect(server.metricsUrl).toBeUndefined();
      expect((await server.http("GET", "/metrics")).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it("refuses metrics on the public port without a token", () => {
    expect(() => loadConfig({ PORT: "9100", IDHUB_METRICS_PORT: "9100" })).toThrow(/IDHUB_METRICS_TOKEN/);
  });

  it("with IDHUB_METRICS_TOKEN, answers only the bearer of the token", async () => {
    const server = await startTestServer("sqlite", { IDHUB_METRICS_PORT: "0", IDHUB_METRICS_TOKEN: "scrape-token-0123456789" });
    try {
      expect((await scrape(server.metricsUrl!)).status).toBe(401);
      expect((await scrape(server.metricsUrl!, { authorization: "Bearer scrape-token-012345678x" })).status).toBe(401);
      const ok = await scrape(server.metricsUrl!, { authorization: "Bearer scrape-token-0123456789" });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain("# TYPE idhub_http_requests_total counter");
    } finally {
      await server.stop();
    }
  });
});
