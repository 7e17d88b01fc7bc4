/**
 * Refresh-token rotation (stand-in: neither cognito-local nor moto has GetTokensFromRefreshToken):
 * the client stores the rotated refresh token, and two clients sharing storage, as two tabs do,
 * never both spend the same one (Web Locks serialise the refresh; the second takes what the first
 * stored).
 */
import { AuthClient, parseConfig } from "../../components/index.ts";
import { describe, equal, it, ok, server } from "./support.ts";

const key = (clientId: string, username: string, item: string) => `CognitoIdentityServiceProvider.${clientId}.${username}.${item}`;

describe("refresh-token rotation (stand-in: no real server here rotates refresh tokens)", () => {
  it("stand-in: stores the rotated refresh token, and the next refresh spends that one", async () => {
    const pool = await server.createPool();
    localStorage.clear();
    const user = await server.createUser(pool);
    const { endpoint } = await server.rotationStandIn();
    const config = parseConfig({ poolId: pool.poolId, clientId: pool.clientId, endpoint, authFlow: "USER_PASSWORD_AUTH" });
    const client = new AuthClient(config);
    await client.signIn(user.username, user.password);
    const first = localStorage.getItem(key(pool.clientId, user.username, "refreshToken"));
    const before = (await server.rotations()).length;
    await client.refresh();
    const second = localStorage.getItem(key(pool.clientId, user.username, "refreshToken"));
    ok(second && second !== first, "the rotated refresh token is stored");
    await client.refresh();
    equal(JSON.stringify((await server.rotations()).slice(before)), JSON.stringify([{ accepted: true }, { accepted: true }]), "each refresh spent a live token");
  });

  it("stand-in: two clients on the same storage (two tabs) refreshing at once spend the refresh token once", async () => {
    ok(navigator.locks, "this browser has Web Locks");
    const pool = await server.createPool();
    localStorage.clear();
    const user = await server.createUser(pool);
    const { endpoint } = await server.rotationStandIn();
    const config = parseConfig({ poolId: pool.poolId, clientId: pool.clientId, endpoint, authFlow: "USER_PASSWORD_AUTH" });
    const first = new AuthClient(config);
    await first.signIn(user.username, user.password);
    const second = new AuthClient(config);
    equal((await second.restore())?.username, user.username, "the second tab reads the session");
    const before = (await server.rotations()).length;
    const [a, b] = await Promise.all([first.refresh(), second.refresh()]);
    equal(a?.username, user.username);
    equal(b?.username, user.username, "neither tab was signed out");
    equal(JSON.stringify((await server.rotations()).slice(before)), JSON.stringify([{ accepted: true }]), "one GetTokensFromRefreshToken, accepted");
    equal(await first.accessToken(), await second.accessToken(), "both tabs hold the same new tokens");
  });
});
