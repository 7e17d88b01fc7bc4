/**
 * ORIGIN_SECRET: the gate proves to the origin that a request came through it by adding
 * `X-Gate-Secret` to every upstream request (authenticated and public paths alike); a client can
 * never send one of its own, and the value never shows in a body, a response header or a log.
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../worker/config.ts";
import { GateError } from "../../worker/errors.ts";
import { freePort } from "../../dev/cognito-local.ts";
import { captureConsole, createGate, expectNoLeak, expectRefused } from "./support/gate.ts";
import { useRealParts } from "./support/real-parts.ts";

const SECRET = "gate-secret-0123456789-abcdefghijklmnop";
const FORGED = "client-forged-secret-0123456789-abcdefgh";

const logs = captureConsole();
const real = useRealParts();

const env = (extra: Record<string, string> = {}) => real.env({ PUBLIC_PATHS: "/public/*", ...extra });
const gate = (extra: Record<string, string> = {}) => createGate(env({ ORIGIN_SECRET: SECRET, ...extra }));

describe("ORIGIN_SECRET", () => {
  it("adds X-Gate-Secret to an authenticated request, replacing a client-sent one", async () => {
    const answer = await gate().bearer(real.tokens.accessToken, "/api/things", { headers: { "x-gate-secret": FORGED } });
    expect(answer.status).toBe(200);
    expect(real.origin.requests).toHaveLength(1);
    expect(real.origin.requests[0]!.headers["x-gate-secret"]).toBe(SECRET);
    expectNoLeak([answer.body, ...answer.headers.values(), ...logs].join("\n"), [SECRET]);
  });

  it("adds X-Gate-Secret to a public path, replacing a client-sent one", async () => {
    const answer = await gate().send("/public/info", { headers: { "X-Gate-Secret": FORGED } });
    expect(answer.status).toBe(200);
    expect(real.origin.requests[0]!.headers["x-gate-secret"]).toBe(SECRET);
    expectNoLeak([answer.body, ...answer.headers.values(), ...logs].join("\n"), [SECRET]);
  });

  it("never forwards a client-sent X-Gate-Secret when ORIGIN_SECRET is not set", async () => {
    const g = createGate(env());
    await g.bearer(real.tokens.accessToken, "/api/things", { headers: { "x-gate-secret": FORGED } });
    await g.send("/public/info", { headers: { "x-gate-secret": FORGED } });
    expect(real.origin.requests).toHaveLength(2);
    for (const seen of real.origin.requests) expect(seen.headers["x-gate-secret"]).toBeUndefined();
  });

  it("a client naming X-Gate-Secret in Connection does not strip the gate's own", async () => {
    await gate().bearer(real.tokens.accessToken, "/api/things", { headers: { connection: "x-gate-secret" } });
    expect(real.origin.requests[0]!.headers["x-gate-secret"]).toBe(SECRET);
  });

  it("is not in the answer when the origin echoes it back", async () => {
    real.origin.responseHeaders = { "x-gate-secret": SECRET };
    const answer = await gate().bearer(real.tokens.accessToken);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-gate-secret")).toBeNull();
  });

  it("is in no body or log of a refusal, an origin failure or a missing token", async () => {
    const g = gate();
    expectRefused(await g.send("/api/things"), 401, { origin: real.origin, logs, secrets: [SECRET], code: "token_missing" });
    expectRefused(await g.bearer("a.b.c"), 401, { origin: real.origin, logs, secrets: [SECRET] });
    const down = gate({ ORIGIN_URL: `http://127.0.0.1:${await freePort()}` });
    expectRefused(await down.bearer(real.tokens.accessToken), 502, { origin: real.origin, logs, secrets: [SECRET], code: "origin_unavailable" });
  });

  it("a value that is too short or not visible ASCII is a config error naming ORIGIN_SECRET, not echoing it", () => {
    for (const bad of ["short-secret", "x".repeat(31), `${"y".repeat(32)} z`, `${"é".repeat(40)}`, `${"a".repeat(40)}\u0000`]) {
      let caught: unknown;
      try {
        parseConfig(env({ ORIGIN_SECRET: bad }));
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(bad)).toBeInstanceOf(GateError);
      expect((caught as GateError).code).toBe("config_invalid");
      expect((caught as GateError).message).toMatch(/^ORIGIN_SECRET /);
      expect((caught as GateError).message).not.toContain(bad.trim());
    }
    expect(parseConfig(env({ ORIGIN_SECRET: SECRET })).originSecret).toBe(SECRET);
    expect(parseConfig(env()).originSecret).toBeUndefined();
  });
});
