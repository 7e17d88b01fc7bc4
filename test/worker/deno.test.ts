/**
 * The Deno entry, run by the real `deno` binary from node_modules against real cognito-local
 * tokens and a real origin; raw HTTP requests show what a real server does with odd targets.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../dev/cognito-local.ts";
import type { TestPool, TestUser, Tokens } from "../../dev/cognito-local.ts";
import { startCognitoStandIn } from "./support/cognito-stand-in.ts";
import type { CognitoStandIn } from "./support/cognito-stand-in.ts";
import { expectNoLeak, secretsOf } from "./support/gate.ts";
import { raw } from "./support/raw.ts";
import { RUNTIME_RULES } from "./support/runtime-rules.ts";
import { useRealParts } from "./support/real-parts.ts";
import type { Origin } from "./support/servers.ts";

const real = useRealParts({ groups: ["users"] });
let pool: TestPool;
let user: TestUser;
let tokens: Tokens;
let origin: Origin;
let deno: ChildProcess;
let gateUrl: string;
let standIn: CognitoStandIn;
let outsider: Tokens;
const output: string[] = [];

/** Resolves once the gate prints its address; rejects if it exits first. */
function listening(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deno did not start: ${output.join("")}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join("").includes("gate listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`deno exited with ${code}: ${output.join("")}`));
    });
  });
}

function startDeno(env: Record<string, string>): ChildProcess {
  return spawn("node_modules/.bin/deno", ["run", "--no-lock", "--allow-net", "--allow-env", "worker/deno.ts"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}


const DENO_SECRET = "deno-origin-secret-0123456789abcdefghijklm";

beforeAll(async () => {
  ({ pool, origin, user, tokens } = real);
  standIn = await startCognitoStandIn();
  const other = await pool.createUser({ groups: ["users"] });
  outsider = await pool.signIn(other.username, other.password);
  const port = await freePort();
  gateUrl = `http://127.0.0.1:${port}`;
  deno = startDeno(real.env({ PORT: String(port), ORIGIN_SECRET: DENO_SECRET, COGNITO_ENDPOINT: standIn.endpoint, ...RUNTIME_RULES }));
  await listening(deno);
});

afterAll(async () => {
  await standIn?.close();
  if (deno && deno.exitCode === null) {
    const exited = new Promise((resolve) => deno.once("exit", resolve));
    deno.kill("SIGTERM");
    await exited;
  }
});

describe("on Deno", () => {
  it("passes a real access token to the origin with X-Auth-Sub from the token, never the client's", async () => {
    const answer = await fetch(`${gateUrl}/api/things`, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, "x-auth-sub": "forged", "x-auth-username": "root" },
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true });
    expect(answer.headers.get("vary")).toBe("Authorization");
    const seen = origin.requests[0]!;
    expect(seen.headers["x-auth-sub"]).toBe(user.sub);
    expect(seen.headers["x-auth-username"]).toBe(user.username);
    expect(seen.headers.authorization).toBeUndefined();
  });

  it("passes a gzip-compressed answer from the origin on intact (Deno's fetch has already decoded it)", async () => {
    origin.gzip = true;
    const answer = await fetch(`${gateUrl}/api/things`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true });
  });

  it("sends ORIGIN_SECRET as X-Gate-Secret, never the client's, and never in an answer (401 or 200)", async () => {
    const answer = await fetch(`${gateUrl}/api/things`, { headers: { "x-gate-secret": "forged-by-the-client-0123456789abcdef" } });
    expect(answer.status).toBe(401);
    expect(await answer.text()).not.toContain(DENO_SECRET);
    expect(origin.requests).toHaveLength(0);
    const ok = await fetch(`${gateUrl}/api/things`, { headers: { authorization: `Bearer ${tokens.accessToken}`, "x-gate-secret": "forged-by-the-client-0123456789abcdef" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).not.toContain(DENO_SECRET);
    expect(origin.requests[0]!.headers["x-gate-secret"]).toBe(DENO_SECRET);
  });

  it("refuses a missing and an ID token, reaching no origin and leaking nothing", async () => {
    const missing = await fetch(`${gateUrl}/api/things`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    await missing.text();
    const id = await fetch(`${gateUrl}/api/things`, { headers: { authorization: `Bearer ${tokens.idToken}` } });
    expect(id.status).toBe(401);
    expectNoLeak(await id.text(), secretsOf(tokens.idToken, user.sub, user.username, pool.clientId));
    expect(origin.requests).toHaveLength(0);
    expectNoLeak(output.join(""), secretsOf(tokens.idToken, user.sub, user.username, pool.clientId));
  });

  it("SECURITY 30: raw request targets //evil.example, /\\evil.example and absolute-form reach only ORIGIN_URL's host", async () => {
    const port = Number(new URL(gateUrl).port);
    const originHost = new URL(origin.url).host;
    for (const target of ["//evil.example/x", "/\\evil.example", "/%2e%2e/x", "http://evil.example/abs"]) {
      origin.requests.length = 0;
      const answer = await raw(port, `GET ${target} HTTP/1.1\r\nHost: gate.test\r\nAuthorization: Bearer ${tokens.accessToken}\r\nConnection: close\r\n\r\n`);
      const status = Number(answer.split(" ")[1]);
      // Deno may refuse a target outright (400); if it serves it, the upstream host is the origin's.
      expect([200, 400], target).toContain(status);
      console.info(`deno: request target ${target} answered ${status}`);
      if (status === 200) {
        expect(origin.requests).toHaveLength(1);
        expect(origin.requests[0]!.host).toBe(originHost);
      } else {
        expect(origin.requests).toHaveLength(0);
      }
    }
  });

  it("SECURITY 31: hop-by-hop headers sent over a real connection are not forwarded", async () => {
    const port = Number(new URL(gateUrl).port);
    const answer = await raw(
      port,
      `GET /api/things HTTP/1.1\r\nHost: gate.test\r\nAuthorization: Bearer ${tokens.accessToken}\r\nConnection: close, X-Hop-Secret\r\nX-Hop-Secret: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic eDp5\r\n\r\n`,
    );
    expect(answer.startsWith("HTTP/1.1 200")).toBe(true);
    const seen = origin.requests[0]!.headers;
    for (const name of ["x-hop-secret", "keep-alive", "te", "proxy-authorization"]) expect(seen[name], name).toBeUndefined();
  });

  it("stops at start with a message naming a bad setting", async () => {
    const child = startDeno({ PORT: String(await freePort()), COGNITO_USER_POOL_ID: "nonsense", COGNITO_CLIENT_ID: "a", ORIGIN_URL: origin.url });
    const lines: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(lines.join("")).toContain("COGNITO_USER_POOL_ID");
  });

  /** Exit code and stderr of a gate that must refuse to start. */
  async function refusedStart(env: Record<string, string>): Promise<{ code: unknown; stderr: string }> {
    const child = startDeno({ PORT: String(await freePort()), ...env });
    const lines: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    return { code, stderr: lines.join("") };
  }

  it("SECURITY 43: stops at start naming ROUTE_POLICIES and the entry's position, never its text", async () => {
    const { code, stderr } = await refusedStart(real.env({ ROUTE_POLICIES: "/a public; /b role:secret-admin" }));
    expect(code).toBe(1);
    expect(stderr).toContain("ROUTE_POLICIES entry 2 ");
    expect(stderr).not.toContain("secret-admin");
  });

  it("SECURITY 46: stops at start when ORIGIN_URL is http: to another host while ORIGIN_SECRET is set", async () => {
    const { code, stderr } = await refusedStart(real.env({ ORIGIN_URL: "http://api.internal.example", ORIGIN_SECRET: DENO_SECRET }));
    expect(code).toBe(1);
    expect(stderr).toContain("ORIGIN_URL must be https:");
    expect(stderr).not.toContain(DENO_SECRET);
  });

  it("SECURITY 40: answers 400 to a Host that is not host[:port], so it cannot turn a private path public", async () => {
    const port = Number(new URL(gateUrl).port);
    for (const host of ["x/public/y?", "x/public/y#", "gate.test/public", "a b", "gate.test:80:80", "user@gate.test"]) {
      origin.requests.length = 0;
      const answer = await raw(port, `GET /admin/users HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      const status = Number(answer.split(" ")[1]);
      console.info(`deno: Host ${JSON.stringify(host)} answered ${status}`);
      // Deno may refuse some itself (400 too); the gate refuses the rest.
      expect(status, host).toBe(400);
      expect(origin.requests, host).toHaveLength(0);
    }
    const fine = await raw(port, `GET /health HTTP/1.1\r\nHost: gate.test:8080\r\nConnection: close\r\n\r\n`);
    expect(fine.startsWith("HTTP/1.1 200")).toBe(true);
  });

  it("SECURITY 41: answers TRACE, TRACK and CONNECT with 405 and an Allow header, forwarding nothing", async () => {
    const port = Number(new URL(gateUrl).port);
    const requests = [
      `TRACE /api/things HTTP/1.1\r\nHost: gate.test\r\nConnection: close\r\n\r\n`,
      `TRACK /api/things HTTP/1.1\r\nHost: gate.test\r\nConnection: close\r\n\r\n`,
      `CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\nConnection: close\r\n\r\n`,
    ];
    for (const request of requests) {
      const answer = await raw(port, request);
      expect(answer.split("\r\n")[0], request.split(" ")[0]).toBe("HTTP/1.1 405 Method Not Allowed");
      expect(answer.toLowerCase()).toContain("\r\nallow: ");
    }
    expect(origin.requests).toHaveLength(0);
  });

  it("SECURITY 38: drops the headers origins trust for routing and identity; X-Forwarded-For is the connection's address", async () => {
    const answer = await fetch(`${gateUrl}/public/info`, {
      headers: { "x-forwarded-host": "admin.internal.example", "x-forwarded-for": "10.0.0.1", "x-original-url": "/admin", "x-rewrite-url": "/admin", "remote-user": "root", "x-amzn-oidc-identity": "root", forwarded: "for=10.0.0.1" },
    });
    expect(answer.status).toBe(200);
    await answer.text();
    const seen = origin.requests[0]!.headers;
    for (const name of ["x-original-url", "x-rewrite-url", "remote-user", "x-amzn-oidc-identity", "forwarded"]) expect(seen[name], name).toBeUndefined();
    expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen["x-forwarded-host"]).toBe(new URL(gateUrl).host);
    expect(seen["x-forwarded-proto"]).toBe("http");
  });

  it("SECURITY 43: applies ROUTE_POLICIES on Deno: a group rule refuses a non-member with 403 and lets public entries through", async () => {
    const refused = await fetch(`${gateUrl}/admin/users`, { headers: { authorization: `Bearer ${outsider.accessToken}` } });
    expect(refused.status).toBe(403);
    await refused.text();
    expect(origin.requests).toHaveLength(0);
    expect((await fetch(`${gateUrl}/health`)).status).toBe(200);
  });

  it("SECURITY 47: a method sent in lower case meets its upper-case ROUTE_POLICIES entry on Deno", async () => {
    for (const method of ["PATCH", "patch"]) {
      const answer = await fetch(`${gateUrl}/public/info`, { method, headers: { authorization: `Bearer ${outsider.accessToken}` }, body: "{}" });
      expect(answer.status, method).toBe(403);
      await answer.text();
    }
    expect(origin.requests).toHaveLength(0);
  });

  it("SECURITY 39: a %25 path under a public prefix needs a token on Deno", async () => {
    // `/public/A` once decoded twice: only the `%25` keeps it from being public.
    const answer = await fetch(`${gateUrl}/public/%2541`);
    expect(answer.status).toBe(401);
    await answer.text();
    expect(origin.requests).toHaveLength(0);
  });

  it("SECURITY 33: makes an origin's public answer private on Deno", async () => {
    origin.responseHeaders = { "cache-control": "public, s-maxage=600" };
    const answer = await fetch(`${gateUrl}/api/things`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    await answer.text();
    expect(answer.headers.get("cache-control")).toBe("private");
  });

  it("SECURITY 44: on Deno a revoked token is refused on a checked path (stand-in), and Cognito down gives 503", async () => {
    standIn.mode = "ok";
    const live = await fetch(`${gateUrl}/account/me`, { headers: { authorization: `Bearer ${outsider.accessToken}` } });
    expect(live.status).toBe(200);
    await live.text();
    standIn.revoked.add(outsider.accessToken);
    origin.requests.length = 0;
    const revoked = await fetch(`${gateUrl}/account/me`, { headers: { authorization: `Bearer ${outsider.accessToken}` } });
    expect(revoked.status).toBe(401);
    expectNoLeak(await revoked.text(), secretsOf(outsider.accessToken));
    standIn.mode = "500";
    const down = await fetch(`${gateUrl}/account/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: string }).error).toBe("revocation_unavailable");
    expect(origin.requests).toHaveLength(0);
    standIn.mode = "ok";
    expectNoLeak(output.join(""), secretsOf(outsider.accessToken, tokens.accessToken));
  });
});
