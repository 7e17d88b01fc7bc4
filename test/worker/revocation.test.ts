/**
 * Revocation-aware paths (SECURITY 44): on `REVOCATION_CHECK_PATHS` the gate asks Cognito's
 * `GetUser` whether the token is still live. GlobalSignOut runs against a real moto_server;
 * RevokeToken, outages and held answers against the stand-in (moto answers RevokeToken with a
 * 500). Valid user tokens for the stand-in come from a real cognito-local.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../dev/cognito-local.ts";
import { startMoto } from "../../dev/moto.ts";
import type { Moto, TestPool } from "../../dev/moto.ts";
import { handle } from "../../worker/http.ts";
import { createRevocationCheck } from "../../worker/revocation.ts";
import { parseConfig } from "../../worker/config.ts";
import type { Verified } from "../../worker/verify.ts";
import { captureConsole, createGate, expectNoLeak, expectRefused, GATE, secretsOf } from "./support/gate.ts";
import { startCognitoStandIn } from "./support/cognito-stand-in.ts";
import type { CognitoStandIn, StandInMode } from "./support/cognito-stand-in.ts";
import { useRealParts } from "./support/real-parts.ts";

const logs = captureConsole();
const real = useRealParts();
let moto: Moto;
let motoPool: TestPool;
let standIn: CognitoStandIn;

beforeAll(async () => {
  [moto, standIn] = await Promise.all([startMoto(), startCognitoStandIn()]);
  motoPool = await moto.createPool();
});

afterAll(async () => {
  await moto?.stop();
  await standIn?.close();
});

const CHECKED = "/account/*";

describe("GlobalSignOut, against moto_server", () => {
  const motoGate = (extra: Record<string, string>, now: () => number) =>
    createGate(
      {
        COGNITO_ISSUER: motoPool.issuer,
        JWKS_URI: motoPool.jwksUri,
        COGNITO_CLIENT_ID: motoPool.clientId,
        COGNITO_ENDPOINT: moto.endpoint,
        ORIGIN_URL: real.origin.url,
        REVOCATION_CHECK_PATHS: CHECKED,
        ...extra,
      },
      { now },
    );

  it("SECURITY 44: a token of a user signed out everywhere is refused on checked paths once the cached answer has aged out, and still served elsewhere", async () => {
    let now = Date.now();
    const gate = motoGate({ REVOCATION_CHECK_SECONDS: "30" }, () => now);
    const dora = await motoPool.createUser();
    const first = await motoPool.signIn(dora.username, dora.password);
    const second = await motoPool.signIn(dora.username, dora.password);
    expect((await gate.bearer(first.accessToken, "/account/me")).status).toBe(200);
    await moto.call("GlobalSignOut", { AccessToken: first.accessToken });
    // Within REVOCATION_CHECK_SECONDS the earlier answer stands: the documented window.
    expect((await gate.bearer(first.accessToken, "/account/me")).status).toBe(200);
    now += 30_000;
    real.origin.requests.length = 0;
    for (const token of [first.accessToken, second.accessToken]) {
      const refused = await gate.bearer(token, "/account/me");
      expectRefused(refused, 401, { origin: real.origin, logs, secrets: secretsOf(token, dora.sub, dora.username, motoPool.clientId), code: "token_invalid" });
      expect(refused.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    }
    // Elsewhere the token still verifies locally until exp: that is what the setting is for.
    expect((await gate.bearer(first.accessToken, "/api/things")).status).toBe(200);
  });

  it("SECURITY 44: with REVOCATION_CHECK_SECONDS=0 the very next request after GlobalSignOut is refused", async () => {
    const gate = motoGate({ REVOCATION_CHECK_SECONDS: "0" }, Date.now);
    const emil = await motoPool.createUser();
    const tokens = await motoPool.signIn(emil.username, emil.password);
    expect((await gate.bearer(tokens.accessToken, "/account/settings")).status).toBe(200);
    await moto.call("GlobalSignOut", { AccessToken: tokens.accessToken });
    real.origin.requests.length = 0;
    expectRefused(await gate.bearer(tokens.accessToken, "/account/settings"), 401, { origin: real.origin, logs, secrets: secretsOf(tokens.accessToken, emil.sub, emil.username), code: "token_invalid" });
  });
});

describe("revoked tokens and Cognito failures, against the stand-in", () => {
  const standInGate = (extra: Record<string, string> = {}, now: () => number = Date.now, waitForInFlight = false) =>
    createGate(real.env({ COGNITO_ENDPOINT: standIn.endpoint, REVOCATION_CHECK_PATHS: CHECKED, JWKS_TIMEOUT_SECONDS: "0.3", ...extra }), { now, waitForInFlight });

  const reset = () => {
    standIn.mode = "ok";
    standIn.hold = false;
    standIn.calls.length = 0;
    standIn.revoked.clear();
  };

  it("SECURITY 44: a token revoked with RevokeToken is refused on a checked path (stand-in), and the refusal is kept until exp", async () => {
    reset();
    const gate = standInGate({ REVOCATION_CHECK_SECONDS: "0" });
    const token = real.tokens.accessToken;
    expect((await gate.bearer(token, "/account/me")).status).toBe(200);
    standIn.revoked.add(token);
    real.origin.requests.length = 0;
    expectRefused(await gate.bearer(token, "/account/me"), 401, { origin: real.origin, logs, secrets: secretsOf(token, real.user.sub, real.user.username), code: "token_invalid" });
    const calls = standIn.calls.length;
    standIn.revoked.clear();
    expectRefused(await gate.bearer(token, "/account/me"), 401, { origin: real.origin, logs, code: "token_invalid" });
    expect(standIn.calls.length).toBe(calls);
  });

  it("asks Cognito once per token per REVOCATION_CHECK_SECONDS, and only on checked paths", async () => {
    reset();
    let now = Date.now();
    const gate = standInGate({ REVOCATION_CHECK_SECONDS: "30" }, () => now);
    const token = real.tokens.accessToken;
    for (let i = 0; i < 3; i++) expect((await gate.bearer(token, "/account/me")).status).toBe(200);
    expect((await gate.bearer(token, "/api/things")).status).toBe(200);
    expect(standIn.calls).toEqual([token]);
    now += 29_999;
    expect((await gate.bearer(token, "/account/me")).status).toBe(200);
    expect(standIn.calls).toHaveLength(1);
    now += 1;
    expect((await gate.bearer(token, "/account/me")).status).toBe(200);
    expect(standIn.calls).toHaveLength(2);
  });

  it("never reuses an answer past the token's exp, whatever REVOCATION_CHECK_SECONDS says", async () => {
    reset();
    const config = parseConfig(real.env({ COGNITO_ENDPOINT: standIn.endpoint, REVOCATION_CHECK_PATHS: CHECKED, REVOCATION_CHECK_SECONDS: "3600" }));
    const check = createRevocationCheck(config, { fetch });
    const now = Date.now();
    const verified: Verified = {
      identity: { kind: "user", sub: "s", username: "u", clientId: "c", groups: [], scopes: ["aws.cognito.signin.user.admin"] },
      kid: "k",
      fromMs: now - 1000,
      expMs: now + 5000,
    };
    await check("token-a", verified, now);
    await check("token-a", verified, now + 4999);
    expect(standIn.calls).toHaveLength(1);
    await check("token-a", verified, now + 5000);
    expect(standIn.calls).toHaveLength(2);
  });

  for (const waitForInFlight of [false, true]) {
    it(`SECURITY 44: 20 concurrent requests for one token make one GetUser (stand-in, ${waitForInFlight ? "polling as on Workers" : "sharing the promise"})`, async () => {
      reset();
      const gate = standInGate({}, Date.now, waitForInFlight);
      const token = real.tokens.accessToken;
      // Verified once, so every request below reaches the revocation check without a key fetch.
      expect((await gate.bearer(token, "/api/things")).status).toBe(200);
      let entered = 0;
      const deps = { ...gate.deps, revocation: (...args: Parameters<typeof gate.deps.revocation>) => (entered++, gate.deps.revocation(...args)) };
      standIn.hold = true;
      const request = () => handle(new Request(new URL("/account/me", GATE), { headers: { authorization: `Bearer ${token}` } }), gate.config, deps);
      const answers = Array.from({ length: 20 }, request);
      await expect.poll(() => entered === 20 && standIn.pending >= 1).toBe(true);
      standIn.release();
      const statuses = await Promise.all(answers.map(async (answer) => (await answer).status));
      expect(statuses).toEqual(Array(20).fill(200));
      expect(standIn.calls).toHaveLength(1);
    });
  }

  const failures: StandInMode[] = ["500", "hang", "throttle", "html"];
  for (const mode of failures) {
    it(`SECURITY 44: Cognito answering ${mode} gives 503 revocation_unavailable on checked paths only (stand-in)`, async () => {
      reset();
      standIn.mode = mode;
      const gate = standInGate();
      const token = real.tokens.accessToken;
      const refused = await gate.bearer(token, "/account/me");
      expectRefused(refused, 503, { origin: real.origin, logs, secrets: secretsOf(token, real.user.sub, real.user.username), code: "revocation_unavailable" });
      expect(refused.headers.get("www-authenticate")).toBeNull();
      expect(logs.join("\n")).toContain("revocation_unavailable");
      expectNoLeak(logs.join("\n"), [standIn.endpoint]);
      expect((await gate.bearer(token, "/api/things")).status).toBe(200);
    });
  }

  it("SECURITY 44: Cognito unreachable gives 503 on checked paths, and the failure is not remembered", async () => {
    reset();
    // GetUser goes to a port nobody listens on until Cognito is reachable again, then to the stand-in.
    const closed = `http://127.0.0.1:${await freePort()}/`;
    let reachable = false;
    const toCognito: typeof fetch = (input, init) => fetch(!reachable && String(input) === standIn.endpoint ? closed : input, init);
    const gate = createGate(real.env({ COGNITO_ENDPOINT: standIn.endpoint, REVOCATION_CHECK_PATHS: CHECKED }), { fetch: toCognito });
    const token = real.tokens.accessToken;
    expectRefused(await gate.bearer(token, "/account/me"), 503, { origin: real.origin, logs, secrets: secretsOf(token), code: "revocation_unavailable" });
    expect(standIn.calls).toHaveLength(0);
    reachable = true;
    expect((await gate.bearer(token, "/account/me")).status).toBe(200);
    expect(standIn.calls).toEqual([token]);
  });

  it("SECURITY 44: a path an origin may decode into a checked one is checked too", async () => {
    reset();
    const gate = standInGate({ REVOCATION_CHECK_SECONDS: "0" });
    const token = real.tokens.accessToken;
    standIn.revoked.add(token);
    for (const path of ["/account%2fme", "/%61ccount/me"]) {
      real.origin.requests.length = 0;
      expectRefused(await gate.send(`${GATE}${path}`, { headers: { authorization: `Bearer ${token}` } }), 401, { origin: real.origin, logs, code: "token_invalid" });
    }
  });
});
