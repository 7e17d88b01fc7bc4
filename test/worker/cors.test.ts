/** CORS handled by the gate (SECURITY 32), with real cognito-local tokens. */
import { describe, expect, it } from "vitest";
import { captureConsole, createGate, expectNoLeak, secretsOf } from "./support/gate.ts";
import { useRealParts } from "./support/real-parts.ts";

const APP = "https://app.example";
const EVIL = "https://evil.example";

const logs = captureConsole();
const real = useRealParts();

const gate = () => createGate(real.env({ CORS_ALLOWED_ORIGINS: APP }));
const preflight = (from: string) =>
  gate().send("/api/things", { method: "OPTIONS", headers: { origin: from, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" } });

describe("CORS", () => {
  it("SECURITY 32: answers a preflight from an allowed origin itself: 204, not forwarded, not a 401", async () => {
    const answer = await preflight(APP);
    expect(answer.status).toBe(204);
    expect(real.origin.requests).toHaveLength(0);
    expect(answer.headers.get("access-control-allow-origin")).toBe(APP);
    expect(answer.headers.get("access-control-allow-methods")).toContain("POST");
    expect(answer.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
    expect(answer.headers.get("vary")).toContain("Origin");
    expect(answer.headers.get("www-authenticate")).toBeNull();
  });

  it("SECURITY 32: grants nothing to a preflight from any other origin, and forwards nothing", async () => {
    for (const from of [EVIL, "https://app.example.evil.example", "null", "http://app.example"]) {
      const answer = await preflight(from);
      expect(answer.status).toBe(204);
      expect(real.origin.requests).toHaveLength(0);
      expect(answer.headers.get("access-control-allow-origin")).toBeNull();
      expect(answer.headers.get("access-control-allow-methods")).toBeNull();
    }
  });

  it("SECURITY 32: grants an allowed origin on actual answers and exposes WWW-Authenticate, errors too", async () => {
    const ok = await gate().bearer(real.tokens.accessToken, "/api/things", { headers: { origin: APP } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
    expect(ok.headers.get("vary")).toBe("Authorization, Origin");
    real.origin.requests.length = 0;
    const refused = await gate().send("/api/things", { headers: { origin: APP, authorization: "Bearer x.y.z" } });
    expect(refused.status).toBe(401);
    expect(real.origin.requests).toHaveLength(0);
    expect(refused.headers.get("access-control-allow-origin")).toBe(APP);
    expect(refused.headers.get("access-control-expose-headers")).toBe("WWW-Authenticate");
  });

  it("SECURITY 32: gives other origins no grant, and replaces CORS headers the origin sent", async () => {
    real.origin.responseHeaders = { "access-control-allow-origin": "*", "access-control-allow-credentials": "true" };
    const answer = await gate().bearer(real.tokens.accessToken, "/api/things", { headers: { origin: EVIL } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
    expectNoLeak([...answer.headers.values(), answer.body, ...logs].join("\n"), secretsOf(real.tokens.accessToken, real.user.sub, real.user.username));
  });

  it("SECURITY 32: an OPTIONS request that is not a preflight needs a token like any other", async () => {
    const answer = await gate().send("/api/things", { method: "OPTIONS" });
    expect(answer.status).toBe(401);
    expect(real.origin.requests).toHaveLength(0);
  });
});
