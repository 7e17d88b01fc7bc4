/**
 * Per-route rules (SECURITY 28, 43): `ROUTE_POLICIES` through `handle()`, first match wins, then
 * `PUBLIC_PATHS`, then `REQUIRED_GROUPS`/`REQUIRED_SCOPES`. Tokens carry resource-server scopes
 * cognito-local cannot issue, so they are signed with the test's own key, served as the key set.
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../worker/config.ts";
import { rulesFor } from "../../worker/policy.ts";
import { captureConsole, createGate, expectRefused, GATE, secretsOf } from "./support/gate.ts";
import { useForgedParts } from "./support/forged-parts.ts";
import { accessClaims, forge } from "./support/tokens.ts";

const CLIENT = "policyclient";
const POLICIES = "GET /reports/* scope:reports/read; POST,PUT,DELETE /reports/* scope:reports/write; /admin/* group:admin group:ops; /health public; /me token";

const logs = captureConsole();
const parts = useForgedParts();

const env = (extra: Record<string, string> = {}) => ({
  COGNITO_ISSUER: parts.keySet.issuer,
  JWKS_URI: parts.keySet.jwksUri,
  COGNITO_CLIENT_ID: CLIENT,
  ORIGIN_URL: parts.origin.url,
  ROUTE_POLICIES: POLICIES,
  ...extra,
});
const gateWith = (extra: Record<string, string> = {}) => createGate(env(extra));
const userToken = (groups: string[], scope: string) => forge(parts.signer, accessClaims(parts.keySet.issuer, CLIENT, { "cognito:groups": groups, scope }));
/** Sends, then expects a refusal that reached no origin (the record is cleared first). */
async function refused(send: () => Promise<{ status: number; headers: Headers; body: string }>, status: number, token?: string, code?: string): Promise<void> {
  parts.origin.requests.length = 0;
  expectRefused(await send(), status, { origin: parts.origin, logs, secrets: token ? secretsOf(token) : [], ...(code ? { code } : {}) });
}

describe("ROUTE_POLICIES", () => {
  it("SECURITY 43: the first matching entry decides, by method and path", async () => {
    const gate = gateWith();
    const reader = await userToken(["users"], "reports/read");
    expect((await gate.bearer(reader, "/reports/2026")).status).toBe(200);
    expect((await gate.bearer(reader, "/reports")).status).toBe(200);
    await refused(() => gate.bearer(reader, "/reports/2026", { method: "POST", body: "{}" }), 403, reader, "insufficient_scope");
    const writer = await userToken(["users"], "reports/write");
    expect((await gate.bearer(writer, "/reports/2026", { method: "PUT", body: "{}" })).status).toBe(200);
    await refused(() => gate.bearer(writer, "/reports/2026"), 403, writer, "insufficient_scope");
    // A GET entry holds for HEAD too: HEAD cannot fall through to a weaker rule.
    expect((await gate.bearer(reader, "/reports/2026", { method: "HEAD" })).status).toBe(200);
    await refused(() => gate.bearer(writer, "/reports/2026", { method: "HEAD" }), 403, writer, "insufficient_scope");
    // No entry for PATCH on /reports: the fallback (no requirement here) applies.
    expect((await gate.bearer(writer, "/reports/2026", { method: "PATCH", body: "{}" })).status).toBe(200);
  });

  it("SECURITY 47: a method sent in lower case meets its upper-case entry, not a laxer one after it", async () => {
    // Fetch upper-cases DELETE, GET, HEAD, OPTIONS, POST and PUT only: `patch` arrives as `patch`.
    const gate = gateWith({ ROUTE_POLICIES: "PATCH /items/* group:editors; /items/* token" });
    const user = await userToken(["users"], "");
    for (const method of ["PATCH", "patch", "Patch"]) {
      await refused(() => gate.bearer(user, "/items/1", { method, body: "{}" }), 403, user, "insufficient_scope");
    }
  });

  it("SECURITY 43: public needs no token, token needs any valid one", async () => {
    const gate = gateWith();
    expect((await gate.send("/health")).status).toBe(200);
    expect(parts.origin.requests[0]!.headers["x-auth-sub"]).toBeUndefined();
    await refused(() => gate.send("/me"), 401, undefined, "token_missing");
    expect((await gate.bearer(await userToken([], ""), "/me")).status).toBe(200);
  });

  it("SECURITY 28: any one listed group suffices; a look-alike (admins, Admin, admin-ops) does not", async () => {
    const gate = gateWith();
    for (const groups of [["admin"], ["ops"], ["users", "ops"]]) expect((await gate.bearer(await userToken(groups, ""), "/admin/users")).status, groups.join()).toBe(200);
    for (const groups of [["admins"], ["Admin"], ["admin-ops"], []]) {
      parts.origin.requests.length = 0;
      const token = await userToken(groups, "");
      await refused(() => gate.bearer(token, "/admin/users"), 403, token, "insufficient_scope");
    }
  });

  it("SECURITY 28: every listed scope is needed", async () => {
    const gate = gateWith({ ROUTE_POLICIES: "/exports/* scope:reports/read scope:exports/run" });
    const both = await userToken([], "reports/read exports/run");
    expect((await gate.bearer(both, "/exports/x")).status).toBe(200);
    for (const scope of ["reports/read", "exports/run", "reports/read exports/runner"]) {
      parts.origin.requests.length = 0;
      const token = await userToken([], scope);
      await refused(() => gate.bearer(token, "/exports/x"), 403, token, "insufficient_scope");
    }
  });

  it("falls back to PUBLIC_PATHS, then REQUIRED_GROUPS/REQUIRED_SCOPES, for a path no entry matches", async () => {
    const gate = gateWith({ PUBLIC_PATHS: "/docs/*", REQUIRED_GROUPS: "staff", REQUIRED_SCOPES: "api/use" });
    expect((await gate.send("/docs/intro")).status).toBe(200);
    const staff = await userToken(["staff"], "api/use");
    expect((await gate.bearer(staff, "/things")).status).toBe(200);
    parts.origin.requests.length = 0;
    const outsider = await userToken(["users"], "api/use");
    await refused(() => gate.bearer(outsider, "/things"), 403, outsider, "insufficient_scope");
    // An entry overrides the fallback for its paths: /me needs only a token.
    expect((await gate.bearer(outsider, "/me")).status).toBe(200);
  });

  it("SECURITY 39: a path that decodes into a protected route is never public and never dodges its rule", async () => {
    const gate = gateWith({ ROUTE_POLICIES: "/public/* public; /admin/* group:admin", PUBLIC_PATHS: "/docs/*" });
    const user = await userToken(["users"], "");
    for (const target of ["/public/%252e%252e/admin", "/public/..%252fadmin", "/public/..%2fadmin", "/docs/%252e%252e/admin", "/public/%5c..%5cadmin"]) {
      parts.origin.requests.length = 0;
      // Without a token: refused as needing one (401) or as ambiguous (400), and never forwarded.
      const anonymous = await gate.send(`${GATE}${target}`);
      expect([400, 401], target).toContain(anonymous.status);
      expect(parts.origin.requests, target).toHaveLength(0);
      // With a token, the admin rule applies (403) or the path is refused as ambiguous (400): never forwarded.
      const answer = await gate.send(`${GATE}${target}`, { headers: { authorization: `Bearer ${user}` } });
      expect([400, 403], target).toContain(answer.status);
      expect(parts.origin.requests, target).toHaveLength(0);
    }
    const admin = await userToken(["admin"], "");
    for (const target of ["/%61dmin/users", "/admin%2fusers", "/x/..%2fadmin/users", "//admin/users", "/x/..//admin/users"]) {
      await refused(() => gate.send(`${GATE}${target}`, { headers: { authorization: `Bearer ${user}` } }), 403, user, "insufficient_scope");
      // The admin rule is what such a path needs: an admin passes.
      expect((await gate.send(`${GATE}${target}`, { headers: { authorization: `Bearer ${admin}` } })).status, target).toBe(200);
    }
  });

  it("lets ordinary escapes through when they change no rule, and refuses a path that does not decode", () => {
    const config = parseConfig(env());
    expect(rulesFor("GET", "/reports/a%20b", config)).toEqual([{ public: false, groups: [], scopes: ["reports/read"] }]);
    expect(rulesFor("GET", "/files/%E2%82%AC", config)).toEqual([config.fallback]);
    expect(rulesFor("GET", "/health", config)).toEqual([]);
    expect(() => rulesFor("GET", "/files/%E2%82", config)).toThrow(/does not decode/);
  });

  it("picks among 100 entries by position, the last one included", () => {
    const many = Array.from({ length: 99 }, (_, i) => `GET /r${i}/* scope:s${i}`).concat(["/last group:g"]).join("; ");
    const config = parseConfig(env({ ROUTE_POLICIES: many }));
    expect(config.routePolicies).toHaveLength(100);
    expect(rulesFor("GET", "/r98/x", config)).toEqual([{ public: false, groups: [], scopes: ["s98"] }]);
    expect(rulesFor("POST", "/r98/x", config)).toEqual([config.fallback]);
    expect(rulesFor("DELETE", "/last", config)).toEqual([{ public: false, groups: ["g"], scopes: [] }]);
  });
});
