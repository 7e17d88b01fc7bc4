/**
 * Access-token verification through the real handler: token shape, algorithm and header, and
 * claims (SECURITY 1–15, 18, 23–27). Valid tokens come from a real cognito-local; forged ones are
 * signed by keys this file makes and serves from its own key-set server.
 */
import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { base64url } from "jose";
import type { TestPool, TestUser, Tokens } from "../../dev/cognito-local.ts";
import { captureConsole, createGate, expectRefused, secretsOf } from "./support/gate.ts";
import { useRealParts } from "./support/real-parts.ts";
import { startKeySetServer, startTrap } from "./support/servers.ts";
import type { KeySetServer, Origin } from "./support/servers.ts";
import { accessClaims, compact, forge, hmacToken, otherAlgorithm, payloadOf, rsaSigner } from "./support/tokens.ts";
import type { Signer } from "./support/tokens.ts";

const FORGED_CLIENT = "forgedclient";

const real = useRealParts({ groups: ["users"] });
let pool: TestPool;
let user: TestUser;
let tokens: Tokens;
let origin: Origin;
let keySet: KeySetServer;
let signer: Signer;
const logs = captureConsole();

beforeAll(async () => {
  ({ pool, origin, user, tokens } = real);
  signer = await rsaSigner();
  keySet = await startKeySetServer([signer.jwk]);
});

afterAll(async () => {
  await keySet?.close();
});

beforeEach(() => {
  keySet.fetches = 0;
  keySet.keys = [signer.jwk];
});

/** The gate trusting cognito-local's pool. */
const realGate = (now?: () => number) =>
  createGate({ COGNITO_ISSUER: pool.issuer, COGNITO_CLIENT_ID: pool.clientId, ORIGIN_URL: origin.url }, now ? { now } : {});
/** The gate trusting this file's key-set server. */
const forgedGate = () =>
  createGate({ COGNITO_ISSUER: keySet.issuer, JWKS_URI: keySet.jwksUri, COGNITO_CLIENT_ID: FORGED_CLIENT, ORIGIN_URL: origin.url });
const claims = (extra: Record<string, unknown> = {}) => accessClaims(keySet.issuer, FORGED_CLIENT, extra);
const realSecrets = (token: string) => secretsOf(token, user.sub, user.username, pool.clientId);
const refusal = (secrets: string[], code?: string) => ({ origin, logs, secrets, ...(code ? { code } : {}) });

describe("controls", () => {
  it("lets a real cognito-local access token through", async () => {
    const answer = await realGate().bearer(tokens.accessToken);
    expect(answer.status).toBe(200);
    expect(origin.requests).toHaveLength(1);
  });

  it("lets a token forged with a key in the served key set through", async () => {
    const answer = await forgedGate().bearer(await forge(signer, claims()));
    expect(answer.status).toBe(200);
    expect(origin.requests).toHaveLength(1);
  });
});

describe("token shape", () => {
  it("SECURITY 1: refuses a request without Authorization with a bare Bearer challenge", async () => {
    const answer = await realGate().send("/api/things");
    expectRefused(answer, 401, refusal([], "token_missing"));
    expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });

  it("SECURITY 1: refuses another scheme than Bearer", async () => {
    const answer = await realGate().send("/api/things", { headers: { authorization: `Basic ${btoa("alice:secret")}` } });
    expectRefused(answer, 401, refusal([], "token_missing"));
  });

  it("SECURITY 1: refuses an empty bearer token", async () => {
    for (const value of ["Bearer", "Bearer ", "Bearer    "]) {
      const answer = await realGate().send("/api/things", { headers: { authorization: value } });
      expectRefused(answer, 401, refusal([], "token_malformed"));
      expect(answer.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });

  it("SECURITY 1: refuses two Authorization headers, even carrying a valid token", async () => {
    const headers = new Headers();
    headers.append("authorization", `Bearer ${tokens.accessToken}`);
    headers.append("authorization", `Bearer ${tokens.accessToken}`);
    const answer = await realGate().send("/api/things", { headers });
    expectRefused(answer, 401, refusal(realSecrets(tokens.accessToken), "token_malformed"));
  });

  it("SECURITY 2: refuses two segments and four or more segments", async () => {
    const [h, p, s] = tokens.accessToken.split(".");
    for (const token of [`${h}.${p}`, `${h}.${p}.${s}.${s}`, `${h}.${p}.${s}.${s}.${s}`]) {
      const answer = await realGate().bearer(token);
      expectRefused(answer, 401, refusal(secretsOf(token), "token_malformed"));
    }
  });

  it("SECURITY 3: refuses characters outside base64url and the JSON serialisation of a JWS", async () => {
    const [h, p, s] = tokens.accessToken.split(".") as [string, string, string];
    const json = JSON.stringify({ protected: h, payload: p, signature: s });
    const padded = `${h}.${p}.${s}==`;
    const plus = `${h}.${p.slice(0, 10)}+${p.slice(11)}.${s}`;
    const slash = `${h}.${p}.${s.slice(0, 10)}/${s.slice(11)}`;
    for (const token of [json, padded, plus, slash, `${h}.${p}.${s}%00`]) {
      const answer = await realGate().send("/api/things", { headers: { authorization: `Bearer ${token}` } });
      expectRefused(answer, 401, refusal(realSecrets(tokens.accessToken), "token_malformed"));
    }
  });

  it("SECURITY 4: refuses an empty signature segment", async () => {
    const [h, p] = tokens.accessToken.split(".");
    const answer = await realGate().bearer(`${h}.${p}.`);
    expectRefused(answer, 401, refusal(realSecrets(tokens.accessToken), "token_malformed"));
  });

  it("SECURITY 5: refuses a header or payload that is not JSON or not a JSON object", async () => {
    const header = { alg: "RS256", kid: signer.kid };
    const gate = forgedGate();
    for (const bad of ["not json", "123", "[]", "null", '"text"', "{"]) {
      for (const token of [await compact(bad, claims(), signer), await compact(header, bad, signer)]) {
        expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token), "token_malformed"));
      }
    }
  });

  it("SECURITY 6: refuses __proto__ and constructor keys in header or payload without polluting", async () => {
    const valid = JSON.stringify(claims());
    const payloads = [
      `{"__proto__":{"polluted":"yes"},${valid.slice(1)}`,
      `{"constructor":{"prototype":{"polluted":"yes"}},${valid.slice(1)}`,
      `{"custom:profile":[{"__proto__":{"polluted":"yes"}}],${valid.slice(1)}`,
      // The same key spelt with JSON escapes.
      `{"\\u005f_proto__":{"polluted":"yes"},${valid.slice(1)}`,
      `{"\\u0063onstructor":{"prototype":{"polluted":"yes"}},${valid.slice(1)}`,
    ];
    const headers = [`{"alg":"RS256","kid":"${signer.kid}","__proto__":{"polluted":"yes"}}`];
    const gate = forgedGate();
    for (const token of [
      ...(await Promise.all(payloads.map((payload) => compact({ alg: "RS256", kid: signer.kid }, payload, signer)))),
      ...(await Promise.all(headers.map((header) => compact(header, claims(), signer)))),
    ]) {
      expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token)));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("SECURITY 6: accepts those words as values, where they pollute nothing", async () => {
    const token = await forge(signer, claims({ username: "constructor", "cognito:groups": ["__proto__", "prototype\\x"] }));
    expect((await forgedGate().bearer(token)).status).toBe(200);
  });

  it("SECURITY 7: refuses exp, nbf or iat given as strings", async () => {
    const now = Math.floor(Date.now() / 1000);
    const gate = forgedGate();
    for (const extra of [{ exp: String(now + 3600) }, { nbf: String(now - 10) }, { iat: String(now) }]) {
      const token = await forge(signer, claims(extra));
      expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
    }
  });

  it("SECURITY 7: refuses exp, nbf or iat that is not a finite number (1e999 parses to Infinity), accepts a fractional exp", async () => {
    const gate = forgedGate();
    const header = { alg: "RS256", kid: signer.kid, typ: "JWT" };
    for (const [name, raw] of [["exp", "1e999"], ["nbf", "-1e999"], ["iat", "-1e999"]] as const) {
      const json = JSON.stringify(claims({ nbf: Math.floor(Date.now() / 1000) - 10 })).replace(new RegExp(`"${name}":-?[0-9]+`), `"${name}":${raw}`);
      expect(json).toContain(`"${name}":${raw}`);
      const token = await compact(header, json, signer);
      expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
      expect(gate.deps.tokens.size).toBe(0);
    }
    const now = Math.floor(Date.now() / 1000);
    expect((await gate.bearer(await forge(signer, claims({ exp: now + 3600.5 })))).status).toBe(200);
  });

  it("SECURITY 23: refuses a payload re-encoded with other unused trailing bits (same bytes, another string)", async () => {
    const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const gate = forgedGate();
    let body = JSON.stringify(claims());
    while (body.length % 3 === 0) body = body.replace(/}$/, ' }');
    const good = await compact({ alg: "RS256", kid: signer.kid }, body, signer);
    const [h, p, sig] = good.split(".") as [string, string, string];
    const last = ALPHABET.indexOf(p.at(-1)!);
    const twin = `${p.slice(0, -1)}${ALPHABET[last ^ 1]}`;
    expect(base64url.decode(twin)).toEqual(base64url.decode(p));
    const token = `${h}.${twin}.${sig}`;
    expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
    expect((await gate.bearer(good)).status).toBe(200);
  });

  it("reads duplicate JSON keys as jose does (the last wins), so what is checked is what is verified", async () => {
    const gate = forgedGate();
    const body = JSON.stringify(claims());
    const rs256Last = `{"alg":"none","kid":"${signer.kid}","alg":"RS256"}`;
    const noneLast = `{"alg":"RS256","kid":"${signer.kid}","alg":"none"}`;
    expect((await gate.bearer(await compact(rs256Last, body, signer))).status).toBe(200);
    origin.requests.length = 0;
    const refused = await compact(noneLast, body, signer);
    expectRefused(await gate.bearer(refused), 401, refusal(secretsOf(refused), "token_invalid"));
    const idLast = await compact({ alg: "RS256", kid: signer.kid }, body.replace(/}$/, ',"token_use":"id"}'), signer);
    expectRefused(await gate.bearer(idLast), 401, refusal(secretsOf(idLast), "token_invalid"));
    const accessLast = body.replace('"token_use":"access"', '"token_use":"id"').replace(/}$/, ',"token_use":"access"}');
    expect((await gate.bearer(await compact({ alg: "RS256", kid: signer.kid }, accessLast, signer))).status).toBe(200);
  });

  it("SECURITY 7: refuses iss, sub, client_id, token_use or username that are not strings", async () => {
    const gate = forgedGate();
    const cases = [{ iss: 1 }, { iss: [keySet.issuer] }, { sub: 42 }, { sub: null }, { client_id: 7 }, { client_id: [FORGED_CLIENT] }, { token_use: 1 }, { token_use: ["access"] }, { username: {} }, { "cognito:groups": "admin" }, { "cognito:groups": [1] }, { scope: ["a"] }];
    for (const extra of cases) {
      const token = await forge(signer, claims(extra));
      expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
    }
  });

  it("SECURITY 8: reads valid UTF-8 beyond ASCII (a name with an accent, an emoji)", async () => {
    const token = await forge(signer, claims({ username: "José😀" }));
    expect((await forgedGate().bearer(token)).status).toBe(200);
    expect(origin.requests.at(-1)!.headers["x-auth-username"]).toBe(encodeURIComponent("José😀"));
  });

  it("SECURITY 8: refuses invalid UTF-8 inside the header or the payload", async () => {
    const invalidUtf8 = (json: string) => {
      const bytes = new TextEncoder().encode(json);
      const at = json.indexOf("@@");
      bytes[at] = 0xc3; // a lead byte followed by a non-continuation byte
      bytes[at + 1] = 0x28;
      return bytes;
    };
    const gate = forgedGate();
    const badPayload = await compact({ alg: "RS256", kid: signer.kid }, invalidUtf8(JSON.stringify(claims({ username: "@@" }))), signer);
    const badHeader = await compact(invalidUtf8(JSON.stringify({ alg: "RS256", kid: signer.kid, x: "@@" })), claims(), signer);
    for (const token of [badPayload, badHeader]) {
      expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token), "token_malformed"));
    }
  });

  it("SECURITY 9: refuses a token over 8 KB before any key fetch or crypto", async () => {
    const token = await forge(signer, claims({ padding: "x".repeat(9000) }));
    expect(token.length).toBeGreaterThan(8192);
    const answer = await forgedGate().bearer(token);
    expectRefused(answer, 401, refusal(secretsOf(token), "token_malformed"));
    expect(keySet.fetches).toBe(0);
  });
});

describe("algorithm and header", () => {
  it("SECURITY 10: refuses alg none, None and NONE without fetching keys", async () => {
    const gate = forgedGate();
    for (const alg of ["none", "None", "NONE"]) {
      const unsigned = `${base64url.encode(JSON.stringify({ alg, kid: signer.kid }))}.${base64url.encode(JSON.stringify(claims()))}`;
      for (const token of [`${unsigned}.`, `${unsigned}.${base64url.encode("sig")}`, await compact({ alg, kid: signer.kid }, claims(), signer)]) {
        expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token)));
      }
    }
    expect(keySet.fetches).toBe(0);
  });

  it("SECURITY 11: refuses HS256 signed with the pool's RSA public key as the HMAC secret", async () => {
    const { keys } = (await (await fetch(pool.jwksUri)).json()) as { keys: Array<Record<string, string>> };
    const jwk = keys[0]!;
    const pem = createPublicKey({ key: jwk, format: "jwk" }).export({ type: "spki", format: "pem" }) as string;
    const realClaims = payloadOf(tokens.accessToken);
    const gate = realGate();
    for (const secret of [pem, JSON.stringify(jwk), Buffer.from(jwk.n!, "base64url")]) {
      const token = hmacToken({ kid: jwk.kid, typ: "JWT" }, realClaims, secret);
      expectRefused(await gate.bearer(token), 401, refusal(realSecrets(token)));
    }
  });

  it("SECURITY 12: refuses RS512, PS256 and ES256 even when signed by a key in the set", async () => {
    for (const alg of ["RS512", "PS256", "ES256"] as const) {
      const { token, jwk } = await otherAlgorithm(alg, claims());
      keySet.keys = [signer.jwk, jwk];
      expectRefused(await forgedGate().bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
    }
  });

  it("SECURITY 13: refuses a token without alg", async () => {
    const token = await compact({ kid: signer.kid, typ: "JWT" }, claims(), signer);
    expectRefused(await forgedGate().bearer(token), 401, refusal(secretsOf(token)));
  });

  it("SECURITY 13: refuses a header alg that differs from the JWK's alg", async () => {
    const mismatched = await rsaSigner();
    keySet.keys = [signer.jwk, { ...mismatched.jwk, alg: "RS512" }];
    const token = await forge(mismatched, claims());
    expectRefused(await forgedGate().bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
  });

  it("SECURITY 14: refuses an unknown name in crit, and any crit or b64 at all (the gate understands no JWS extension)", async () => {
    const gate = forgedGate();
    for (const header of [{ crit: ["urn:example:unknown"], "urn:example:unknown": true }, { crit: [] }, { crit: ["exp"] }, { crit: "b64" }, { crit: ["b64"], b64: false }, { b64: true }]) {
      const token = await forge(signer, claims(), header);
      expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
    }
  });

  it("SECURITY 15: never fetches or trusts jku, x5u, jwk or x5c", async () => {
    const trap = await startTrap();
    try {
      const attacker = await rsaSigner();
      const der = Buffer.from("not really a certificate").toString("base64");
      const header = { jku: `${trap.url}/jwks.json`, x5u: `${trap.url}/cert.pem`, jwk: attacker.jwk, x5c: [der] };
      const gate = forgedGate();
      // Signed by the attacker under the attacker's kid, and under the trusted kid.
      for (const token of [await forge(attacker, claims(), header), await forge(attacker, claims(), { ...header, kid: signer.kid })]) {
        expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
      }
      expect(trap.hits).toBe(0);
    } finally {
      await trap.close();
    }
  });
});

describe("issuer and claims", () => {
  it("SECURITY 18: refuses a real token from another pool (another issuer)", async () => {
    const other = await real.cognito.createPool();
    const stranger = await other.createUser();
    const { accessToken } = await other.signIn(stranger.username, stranger.password);
    expectRefused(await realGate().bearer(accessToken), 401, refusal(secretsOf(accessToken, stranger.sub, stranger.username, other.clientId), "token_invalid"));
  });

  it("SECURITY 18: refuses a token signed by another key under the pool's kid and issuer", async () => {
    const impostor = await rsaSigner("CognitoLocal");
    const token = await forge(impostor, { ...payloadOf(tokens.accessToken) });
    expectRefused(await realGate().bearer(token), 401, refusal(realSecrets(token), "token_invalid"));
  });

  it("SECURITY 18: refuses a token signed by a trusted key but naming another issuer", async () => {
    const gate = forgedGate();
    for (const iss of ["https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Evil", `${keySet.issuer}/`, keySet.issuer.toUpperCase()]) {
      const token = await forge(signer, claims({ iss }));
      expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
    }
  });

  it("SECURITY 23: refuses a payload changed after signing", async () => {
    const [h, , s] = tokens.accessToken.split(".");
    const changed = { ...payloadOf(tokens.accessToken), "cognito:groups": ["admin"] };
    const token = `${h}.${base64url.encode(JSON.stringify(changed))}.${s}`;
    expectRefused(await realGate().bearer(token), 401, refusal(realSecrets(token), "token_invalid"));
  });

  it("SECURITY 24: refuses an expired token and one just outside the clock tolerance, accepts one just inside", async () => {
    const { exp } = payloadOf(tokens.accessToken) as { exp: number };
    const secrets = realSecrets(tokens.accessToken);
    expectRefused(await realGate(() => (exp + 3600) * 1000).bearer(tokens.accessToken), 401, refusal(secrets, "token_expired"));
    expectRefused(await realGate(() => (exp + 6) * 1000).bearer(tokens.accessToken), 401, refusal(secrets, "token_expired"));
    const inside = await realGate(() => (exp + 4) * 1000).bearer(tokens.accessToken);
    expect(inside.status).toBe(200);
  });

  it("SECURITY 24: refuses a token without exp", async () => {
    const { exp: _omitted, ...withoutExp } = claims();
    const token = await forge(signer, withoutExp);
    expectRefused(await forgedGate().bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
  });

  it("SECURITY 25: refuses nbf in the future and iat far in the future", async () => {
    const now = Math.floor(Date.now() / 1000);
    const gate = forgedGate();
    for (const extra of [{ nbf: now + 60 }, { iat: now + 3600 }]) {
      const token = await forge(signer, claims(extra));
      expectRefused(await gate.bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
    }
    const { iat } = payloadOf(tokens.accessToken) as { iat: number };
    const answer = await realGate(() => (iat - 3600) * 1000).bearer(tokens.accessToken);
    expectRefused(answer, 401, refusal(realSecrets(tokens.accessToken), "token_invalid"));
  });

  it("SECURITY 26: refuses a real ID token sent as an access token", async () => {
    expect(payloadOf(tokens.idToken).token_use).toBe("id");
    const answer = await realGate().bearer(tokens.idToken);
    expectRefused(answer, 401, refusal(realSecrets(tokens.idToken), "token_invalid"));
  });

  it("SECURITY 26: refuses a token without token_use", async () => {
    const { token_use: _omitted, ...rest } = claims();
    const token = await forge(signer, rest);
    expectRefused(await forgedGate().bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
  });

  it("SECURITY 27: refuses a real access token of another app client of the same pool", async () => {
    const otherClient = await pool.createClient();
    const result = await real.cognito.call<any>("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: otherClient,
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    });
    const token: string = result.AuthenticationResult.AccessToken;
    expect(payloadOf(token).client_id).toBe(otherClient);
    expectRefused(await realGate().bearer(token), 401, refusal(secretsOf(token, user.sub, user.username, otherClient), "token_invalid"));
  });

  it("SECURITY 27: refuses a token with aud but no client_id", async () => {
    const { client_id: _omitted, ...rest } = claims({ aud: FORGED_CLIENT });
    const token = await forge(signer, rest);
    expectRefused(await forgedGate().bearer(token), 401, refusal(secretsOf(token), "token_invalid"));
  });
});
