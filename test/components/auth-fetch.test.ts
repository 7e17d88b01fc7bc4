/**
 * authFetch: through the real edge gate on workerd (Miniflare) to a recording origin; refresh on
 * expiry (one refresh for concurrent calls); refresh-and-retry once on 401 invalid_token.
 */
import { AuthError, authFetch } from "../../components/index.ts";
import { afterEach, configurePool, countRequests, describe, equal, it, ok, server, waitFor } from "./support.ts";

describe("authFetch", () => {
  afterEach(() => localStorage.clear());

  it("rejects with a typed error and sends nothing without a session", async () => {
    const pool = await server.createPool();
    localStorage.clear();
    const client = configurePool(pool);
    await client.restore();
    const requests = countRequests();
    try {
      await authFetch("/nowhere");
      throw new Error("resolved without a session");
    } catch (error) {
      ok(error instanceof AuthError, "an AuthError");
      equal(error.code, "not_signed_in");
    } finally {
      requests.restore();
    }
    equal(requests.targets.length, 0);
  });

  it("refuses an origin the config does not allow, with origin_not_allowed, and sends it nothing", async () => {
    const pool = await server.createPool();
    localStorage.clear();
    const user = await server.createUser(pool);
    const api = await server.startFlakyApi();
    const client = configurePool(pool);
    await client.signIn(user.username, user.password);
    const requests = countRequests();
    try {
      await authFetch(`${api.url}/data`);
      throw new Error("resolved for an origin that is not allowed");
    } catch (error) {
      ok(error instanceof AuthError, "an AuthError");
      equal(error.code, "origin_not_allowed");
    } finally {
      requests.restore();
    }
    equal(requests.targets.length, 0, "no request at all");
    equal(JSON.stringify(await server.flakyAuthorizations(api.index)), "[]", "the other origin saw nothing");
  });

  it("sends the token to the page's own origin by default", async () => {
    const pool = await server.createPool();
    localStorage.clear();
    const user = await server.createUser(pool);
    const client = configurePool(pool);
    await client.signIn(user.username, user.password);
    const original = window.fetch;
    let sent: Request | undefined;
    window.fetch = (resource: RequestInfo | URL, init?: RequestInit) => {
      if (resource instanceof Request) sent = resource.clone();
      return original(resource, init);
    };
    try {
      await authFetch("/test/.build/frame.html");
    } finally {
      window.fetch = original;
    }
    equal(new URL(sent!.url).origin, location.origin);
    ok(sent!.headers.get("authorization")?.startsWith("Bearer ey"), "the same-origin request carries the token");
  });

  it("reaches the origin through the real gate with the user's sub", async () => {
    const pool = await server.createPool();
    localStorage.clear();
    const user = await server.createUser(pool);
    const gate = await server.startGate(pool);
    const client = configurePool(pool, { apiOrigins: [new URL(gate.gateUrl).origin] });
    await client.signIn(user.username, user.password);
    const anonymous = await fetch(`${gate.gateUrl}/api/whoami`);
    equal(anonymous.status, 401, "the gate refuses a call without a token");
    const response = await authFetch(`${gate.gateUrl}/api/whoami`, { headers: { accept: "application/json" } });
    equal(response.status, 200);
    equal((await response.json()).sub, user.sub);
    const seen = await server.originRequests(gate.index);
    equal(seen.length, 1);
    equal(seen[0]!.sub, user.sub);
  });

  it("refreshes an expired token once for several concurrent calls, then succeeds through the gate", async () => {
    const pool = await server.createPool({ accessTokenValiditySeconds: 2 });
    localStorage.clear();
    const user = await server.createUser(pool);
    const gate = await server.startGate(pool);
    const client = configurePool(pool, { apiOrigins: [new URL(gate.gateUrl).origin] });
    await client.signIn(user.username, user.password);
    const key = `CognitoIdentityServiceProvider.${pool.clientId}.${user.username}.accessToken`;
    const first = localStorage.getItem(key)!;
    const expiry = JSON.parse(atob(first.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).exp * 1000;
    await waitFor(() => Date.now() > expiry + 1000, "the access token to expire", 10_000);
    const requests = countRequests();
    let responses: Response[];
    try {
      responses = await Promise.all([1, 2, 3, 4].map(() => authFetch(`${gate.gateUrl}/api/things`)));
    } finally {
      requests.restore();
    }
    equal(responses.map((r) => r.status).join(), "200,200,200,200");
    equal(requests.targets.filter((target) => target === "InitiateAuth").length, 1, "one refresh");
    ok(localStorage.getItem(key) !== first, "a new token stored");
  });

  it("on 401 invalid_token refreshes once and retries once", async () => {
    const pool = await server.createPool();
    localStorage.clear();
    const user = await server.createUser(pool);
    const api = await server.startFlakyApi();
    const client = configurePool(pool, { apiOrigins: [new URL(api.url).origin] });
    await client.signIn(user.username, user.password);
    const requests = countRequests();
    let response: Response;
    try {
      response = await authFetch(`${api.url}/data`, { method: "POST", body: JSON.stringify({ a: 1 }), headers: { "content-type": "application/json" } });
    } finally {
      requests.restore();
    }
    equal(response.status, 200);
    equal(JSON.stringify(await server.flakyAuthorizations(api.index)), "[0,1]", "two calls, the second with a new token");
    equal(requests.targets.filter((target) => target === "InitiateAuth").length, 1, "one refresh");
  });

  it("gives up after one retry when the API still refuses", async () => {
    const pool = await server.createPool();
    localStorage.clear();
    const user = await server.createUser(pool);
    const api = await server.startFlakyApi();
    const client = configurePool(pool, { apiOrigins: [new URL(api.url).origin] });
    await client.signIn(user.username, user.password);
    const requests = countRequests();
    let response: Response;
    try {
      response = await authFetch(`${api.url}/always`);
    } finally {
      requests.restore();
    }
    equal(response.status, 401);
    equal(JSON.stringify(await server.flakyAuthorizations(api.index)), "[0,1]", "one retry, with a refreshed token");
    equal(requests.targets.filter((target) => target === "InitiateAuth").length, 1, "one refresh");
  });
});
