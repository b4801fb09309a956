import { randomUUID } from "node:crypto";
import { testDialects } from "@idhub/db/testing";
import { describe, expect, it } from "vitest";
import { userWithStatement } from "../support/accounts.js";
import { withServer } from "../support/server.js";

const LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) ([A-Za-z.]+) (\S+) by (\S+)$/;

describe.each(testDialects)("Trusted Twin GET /log (%s)", (dialect) => {
  const fx = withServer(dialect);

  it("shows the account's events as messages, 100 a page, newest last; the fragment continues", async () => {
    const a = await fx.server.createAccount("A");
    const twins: string[] = [];
    for (let i = 0; i < 120; i++) {
      const created = await fx.server.http("POST", "/twins", { secret: a.secret, body: {} });
      twins.push(created.body.creation_certificate.uuid);
    }
    const first = await fx.server.http("GET", "/log", { secret: a.secret });
    expect(first.status, first.text).toBe(200);
    expect(first.body.messages).toHaveLength(100);
    const lines = first.body.messages.map((m: string) => LINE.exec(m));
    expect(lines.every(Boolean)).toBe(true);
    expect(lines.slice(0, 3).map((m: RegExpExecArray) => [m[2], m[4]])).toEqual([
      ["account.created", "system"],
      ["role.created", "system"],
      ["user.created", "system"],
    ]);
    const setup = lines.findIndex((m: RegExpExecArray) => m[2] === "twin.created"); // account creation's own events
    expect(lines.slice(setup).map((m: RegExpExecArray) => m[3])).toEqual(twins.slice(0, 100 - setup));
    expect(lines[setup][4]).toBe(a.user.id);
    const times = lines.map((m: RegExpExecArray) => Date.parse(m[1]!));
    expect(times).toEqual([...times].sort((x, y) => x - y));

    const second = await fx.server.http("GET", `/log?fragment=${first.body.fragment}`, { secret: a.secret });
    expect(second.status).toBe(200);
    expect(second.body.messages.map((m: string) => LINE.exec(m)![3])).toEqual(twins.slice(100 - setup));
    const end = await fx.server.http("GET", `/log/?fragment=${second.body.fragment}`, { secret: a.secret });
    expect(end.body).toEqual({ fragment: second.body.fragment, messages: [] });
  });

  it("answers 400592 for a malformed or unknown fragment, and for another account's", async () => {
    const [a, b] = [await fx.server.createAccount(), await fx.server.createAccount()];
    const ofA = (await fx.server.http("GET", "/log", { secret: a.secret })).body.fragment;
    for (const fragment of ["nope", "123", randomUUID(), ofA]) {
      const reply = await fx.server.http("GET", `/log?fragment=${encodeURIComponent(fragment)}`, { secret: b.secret });
      expect({ fragment, status: reply.status, subcode: reply.body.subcode }).toEqual({ fragment, status: 400, subcode: 400592 });
      expect(typeof reply.body.trace).toBe("string");
    }
  });

  it("never shows another account's events", async () => {
    const [a, b] = [await fx.server.createAccount(), await fx.server.createAccount()];
    const twinOfA = (await fx.server.http("POST", "/twins", { secret: a.secret, body: {} })).body.creation_certificate.uuid;
    const logB = await fx.server.http("GET", "/log", { secret: b.secret });
    expect(logB.status).toBe(200);
    expect(logB.text).not.toContain(twinOfA);
    expect(logB.text).not.toContain(a.account.id);
    expect(logB.body.messages.every((m: string) => m.includes(b.account.id) || !m.includes(a.user.id))).toBe(true);
  });

  it("403535 for a role without get_log; 401000 without a secret", async () => {
    const a = await fx.server.createAccount();
    const limited = await userWithStatement(fx.server.http, a.secret, { effect: "allow", actions: ["get_events"] });
    const denied = await fx.server.http("GET", "/log", { secret: limited.secret });
    expect({ status: denied.status, subcode: denied.body.subcode }).toEqual({ status: 403, subcode: 403535 });
    expect(denied.body.description).toContain("get_log");
    const anonymous = await fx.server.http("GET", "/log");
    expect({ status: anonymous.status, subcode: anonymous.body.subcode }).toEqual({ status: 401, subcode: 401000 });
  });
});
