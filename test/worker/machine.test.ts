/**
 * Machine clients (SECURITY 45): access tokens of the client-credentials grant have no
 * `username`, no groups, resource-server scopes, and `sub` equal to the machine client's
 * `client_id`. cognito-local cannot issue them, so they are signed with the test's own key, in
 * the shape Cognito gives them.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { captureConsole, createGate, expectRefused, secretsOf } from "./support/gate.ts";
import { useForgedParts } from "./support/forged-parts.ts";
import { forge } from "./support/tokens.ts";

const USER_CLIENT = "webclient";
const MACHINE = "machineclient1";

const logs = captureConsole();
const parts = useForgedParts();

const gateWith = (extra: Record<string, string> = {}) =>
  createGate({
    COGNITO_ISSUER: parts.keySet.issuer,
    JWKS_URI: parts.keySet.jwksUri,
    COGNITO_CLIENT_ID: `${USER_CLIENT},${MACHINE}`,
    ORIGIN_URL: parts.origin.url,
    ...extra,
  });

/** A client-credentials access token as Cognito issues it. */
function machineClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: MACHINE,
    token_use: "access",
    scope: "reports/read reports/write",
    auth_time: now,
    iss: parts.keySet.issuer,
    exp: now + 3600,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: MACHINE,
    ...extra,
  };
}
const machineToken = (extra: Record<string, unknown> = {}) => forge(parts.signer, machineClaims(extra));
const FORGED = { "x-auth-sub": "00000000-0000-0000-0000-000000000000", "x-auth-username": "root", "x-auth-groups": "admin" };

describe("machine clients", () => {
  it("SECURITY 45: accepts a listed machine client and forwards only X-Auth-Client-Id and X-Auth-Scope, none of the client's forgeries", async () => {
    const token = await machineToken();
    const answer = await gateWith().bearer(token, "/reports/x", { headers: FORGED });
    expect(answer.status).toBe(200);
    const seen = parts.origin.requests[0]!.headers;
    expect(seen["x-auth-client-id"]).toBe(MACHINE);
    expect(seen["x-auth-scope"]).toBe("reports/read reports/write");
    for (const name of ["x-auth-sub", "x-auth-username", "x-auth-groups"]) expect(seen[name], name).toBeUndefined();
  });

  it("SECURITY 45: refuses a machine token whose client is not listed in COGNITO_CLIENT_ID", async () => {
    const token = await machineToken();
    expectRefused(await gateWith({ COGNITO_CLIENT_ID: USER_CLIENT }).bearer(token), 401, { origin: parts.origin, logs, secrets: secretsOf(token, MACHINE), code: "token_invalid" });
  });

  it("SECURITY 45: refuses a token without username that is not a machine client's (sub is not its client_id, or it names groups)", async () => {
    for (const extra of [{ sub: randomUUID() }, { "cognito:groups": ["admin"] }]) {
      const token = await machineToken(extra);
      expectRefused(await gateWith().bearer(token), 401, { origin: parts.origin, logs, secrets: secretsOf(token), code: "token_invalid" });
    }
  });

  it("SECURITY 45: scope rules apply to machine clients; group rules refuse them (they belong to no group)", async () => {
    const gate = gateWith({ ROUTE_POLICIES: "/reports/* scope:reports/read; /exports/* scope:exports/run; /admin/* group:admin" });
    const token = await machineToken();
    expect((await gate.bearer(token, "/reports/1")).status).toBe(200);
    parts.origin.requests.length = 0;
    expectRefused(await gate.bearer(token, "/exports/1"), 403, { origin: parts.origin, logs, secrets: secretsOf(token), code: "insufficient_scope" });
    expectRefused(await gate.bearer(token, "/admin/1"), 403, { origin: parts.origin, logs, secrets: secretsOf(token), code: "insufficient_scope" });
  });

  it("SECURITY 44: on a revocation-checked path a machine token is refused with 403 before Cognito is asked (GetUser cannot check it)", async () => {
    const cognito = { calls: 0 };
    const gate = createGate(
      {
        COGNITO_ISSUER: parts.keySet.issuer,
        JWKS_URI: parts.keySet.jwksUri,
        COGNITO_CLIENT_ID: MACHINE,
        ORIGIN_URL: parts.origin.url,
        REVOCATION_CHECK_PATHS: "/account/*",
        // Nothing listens here: a request to it would be a 503, not the 403 asserted.
        COGNITO_ENDPOINT: "http://127.0.0.1:9/",
      },
      { fetch: (input, init) => (String(input instanceof Request ? input.url : input).startsWith("http://127.0.0.1:9/") && cognito.calls++, fetch(input, init)) },
    );
    const token = await machineToken();
    const answer = await gate.bearer(token, "/account/x");
    expectRefused(answer, 403, { origin: parts.origin, logs, secrets: secretsOf(token), code: "insufficient_scope" });
    expect(cognito.calls).toBe(0);
    expect((await gate.bearer(token, "/reports/1")).status).toBe(200);
  });
});
