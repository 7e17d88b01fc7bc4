/**
 * Sessions across real page loads: each "page" is a same-origin iframe running its own copy of
 * the package (test/.build/frame.html), so a reload is a real navigation and another frame is
 * another browsing context receiving `storage` events, as another tab would.
 */
import { AuthClient, authStore } from "../../components/index.ts";
import {
  afterEach, beforeEach, configurePool, countRequests, describe, equal, fill, frameStatus, inFrame, it, mount, ok, openFrame,
  sdkKeys, server, submitButton, unmountAll, waitFor, type Pool,
} from "./support.ts";

async function signInInFrame(frame: HTMLIFrameElement, username: string, password: string): Promise<void> {
  const login = inFrame(frame, "cognito-login");
  fill(login, { username, password });
  submitButton(login).click();
  await waitFor(() => frameStatus(frame) === "signed-in", "the frame to sign in");
}

describe("sessions", () => {
  let pool: Pool;
  beforeEach(async () => {
    pool = await server.createPool();
    localStorage.clear();
    sessionStorage.clear();
  });
  afterEach(unmountAll);

  it("restores the session after a real reload without asking for the password", async () => {
    const user = await server.createUser(pool);
    const frame = await openFrame(pool);
    equal(frameStatus(frame), "signed-out");
    await signInInFrame(frame, user.username, user.password);
    ok(sdkKeys(localStorage, pool.clientId).length >= 4, "tokens stored");
    // Mark the old page: until the reload replaces it, it still reads "signed-in" itself.
    const before = frame.contentWindow as Window & { beforeReload?: boolean };
    before.beforeReload = true;
    // Every frame from the reload until the login shows signed-in: never a password field.
    let passwordAsked = false;
    let watching = true;
    const watch = () => {
      if (!watching) return;
      if (frame.contentDocument?.querySelector('cognito-login input[type="password"]')) passwordAsked = true;
      requestAnimationFrame(watch);
    };
    frame.contentWindow!.location.reload();
    watch();
    const fresh = () => {
      const win = frame.contentWindow as (Window & { beforeReload?: boolean }) | null;
      return Boolean(win && !win.beforeReload && frame.contentDocument?.readyState === "complete" && frameStatus(frame) && frameStatus(frame) !== "loading");
    };
    try {
      await waitFor(fresh, "the reloaded page to read its session");
      equal(frameStatus(frame), "signed-in", "the reloaded page restored the session");
      const login = inFrame(frame, "cognito-login");
      await waitFor(() => login.getAttribute("auth-state") === "signed-in", "the reloaded login to show signed-in");
    } finally {
      watching = false;
    }
    equal(passwordAsked, false, "no password asked");
  });

  it("signing out clears every token and shows signed-out in every element and every other page", async () => {
    const user = await server.createUser(pool);
    const first = await openFrame(pool);
    const second = await openFrame(pool);
    await signInInFrame(first, user.username, user.password);
    await waitFor(() => frameStatus(second) === "signed-in", "the other page to pick up the sign-in");
    const signOut = inFrame(second, "cognito-sign-out");
    const events: unknown[] = [];
    signOut.addEventListener("cognito-signed-out", (event) => events.push(event.detail));
    await waitFor(() => signOut.querySelector("button"), "the sign-out button");
    signOut.querySelector("button")!.click();
    await waitFor(() => frameStatus(second) === "signed-out", "signed out here");
    equal(sdkKeys(localStorage, pool.clientId).length, 0);
    await waitFor(() => frameStatus(first) === "signed-out", "the other page to sign out");
    for (const frame of [first, second]) {
      for (const tag of ["cognito-login", "cognito-signup", "cognito-sign-out"] as const) {
        await waitFor(() => inFrame(frame, tag).getAttribute("auth-state") === "signed-out", `${tag} to show signed-out`);
      }
      ok(inFrame(frame, "cognito-login").querySelector('input[name="password"]'), "the login form is back");
      ok(!inFrame(frame, "cognito-sign-out").querySelector("button"), "no sign-out button");
    }
    equal(JSON.stringify(events), JSON.stringify([{ reason: "sign-out" }]));
  });

  it("keeps tokens in sessionStorage with storage=session and clears them on sign-out", async () => {
    const user = await server.createUser(pool);
    configurePool(pool, { storage: "session" });
    const login = mount("cognito-login");
    const signOut = mount("cognito-sign-out");
    await waitFor(() => login.querySelector("form"), "the form");
    fill(login, { username: user.username, password: user.password });
    submitButton(login).click();
    await waitFor(() => signOut.querySelector("button"), "signed in");
    ok(sdkKeys(sessionStorage, pool.clientId).length >= 4, "tokens in sessionStorage");
    equal(sdkKeys(localStorage, pool.clientId).length, 0);
    signOut.querySelector("button")!.click();
    await waitFor(() => login.getAttribute("auth-state") === "signed-out", "signed out");
    equal(sdkKeys(sessionStorage, pool.clientId).length, 0);
  });

  it("keeps tokens only in memory with storage=memory", async () => {
    const user = await server.createUser(pool);
    const client = configurePool(pool, { storage: "memory" });
    const result = await client.signIn(user.username, user.password);
    equal(result.kind, "signed-in");
    const inMemory = Array.from({ length: client.storage.length }, (_, i) => client.storage.key(i) ?? "");
    ok(inMemory.filter((key) => /\.(idToken|accessToken|refreshToken)$/.test(key)).length === 3, "the three tokens kept in memory");
    equal(sdkKeys(localStorage, pool.clientId).length + sdkKeys(sessionStorage, pool.clientId).length, 0);
    equal(authStore.snapshot.status, "signed-in");
    await client.signOut();
    equal(client.storage.length, 0);
    equal(authStore.snapshot.status, "signed-out");
  });

  it("puts the access token's groups and the ID token's attributes in the snapshot", async () => {
    const user = await server.createUser(pool, { groups: ["admin", "staff"] });
    const client = configurePool(pool);
    await client.signIn(user.username, user.password);
    const snapshot = authStore.snapshot;
    ok(snapshot.status === "signed-in");
    equal(snapshot.username, user.username);
    equal([...snapshot.groups].sort().join(","), "admin,staff");
    equal(snapshot.attributes.email, `${user.username}@example.com`);
    ok(!JSON.stringify(snapshot).includes("eyJ"), "no token in the snapshot");
  });

  it("refreshes the session with the refresh token, and restore() reads it back", async () => {
    const user = await server.createUser(pool);
    const client = configurePool(pool);
    await client.signIn(user.username, user.password);
    const before = localStorage.getItem(`CognitoIdentityServiceProvider.${pool.clientId}.${user.username}.accessToken`);
    const requests = countRequests();
    let a, b;
    try {
      [a, b] = await Promise.all([client.refresh(), client.refresh()]);
    } finally {
      requests.restore();
    }
    equal(requests.targets.filter((target) => target === "InitiateAuth").length, 1, "concurrent refreshes share one request");
    equal(a?.username, user.username);
    equal(a, b, "both callers get the same session");
    const after = localStorage.getItem(`CognitoIdentityServiceProvider.${pool.clientId}.${user.username}.accessToken`);
    ok(after && after !== before, "a new access token was stored");
    const restored = await client.restore();
    equal(restored?.username, user.username);
  });

  // The SDK stores drift = local clock − server clock and counts a token valid while local − drift < exp.
  // With a 1 h token, −3570 s leaves about 30 s and +3570 s nearly two hours; the opposite sign says the reverse.
  for (const [drift, refreshes] of [[-3570, 1], [3570, 0]] as const) {
    it(`accessToken() counts the stored clock drift: ${drift} s on a fresh 1 h token makes ${refreshes} refresh`, async () => {
      const user = await server.createUser(pool);
      const signedIn = configurePool(pool);
      await signedIn.signIn(user.username, user.password);
      localStorage.setItem(`CognitoIdentityServiceProvider.${pool.clientId}.${user.username}.clockDrift`, String(drift));
      // A reload: a new client reads the stored session, drift included.
      const client = new AuthClient(signedIn.config);
      const requests = countRequests();
      try {
        equal((await client.restore())?.username, user.username);
        ok(await client.accessToken());
      } finally {
        requests.restore();
      }
      equal(requests.targets.filter((target) => target === "InitiateAuth").length, refreshes);
    });
  }
});
