/**
 * Sign-in through the hosted UI (issue 9) against the real cognito-local: its /oauth2/authorize
 * form stands in for Google or a SAML/OIDC provider (it ignores `identity_provider`), its
 * /oauth2/token does the authorization_code grant with S256 PKCE. The redirect URI is
 * test/.build/hosted.html in an iframe, so every step is a real navigation; the emulator's form
 * is filled through the browser's automation (it is cross-origin to the test page).
 */
import { executeServerCommand } from "@web/test-runner-commands";
import { hostedLogoutUrl } from "../../components/auth/hosted-state.ts";
import { AuthClient, ConfigError, MemoryStorage, configure, en, parseConfig, setMessages } from "../../components/index.ts";
import {
  afterEach, beforeEach, deepEqual, describe, equal, it, mount, ok, sdkKeys, server, unmountAll, waitFor, type Pool, type User,
} from "./support.ts";

const CONFIG_KEY = "cognito-elements-test.hosted-config";
const REDIRECT = `${location.origin}/test/.build/hosted.html`;
const PENDING = (clientId: string) => `cognito-elements.hosted.${clientId}`;

interface HostedTest {
  arrivedAt: string;
  events: Array<{ type: string; detail: { username?: string; code?: string } }>;
  status(): string;
  complete(): Promise<unknown>;
  refresh(): Promise<unknown>;
  fetchJson(url: string): Promise<{ status: number; body: { sub: string | null } }>;
}

const OAUTH_CLIENT = {
  CallbackURLs: [REDIRECT],
  LogoutURLs: [REDIRECT],
  AllowedOAuthFlows: ["code"],
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthScopes: ["openid", "email", "profile"],
  SupportedIdentityProviders: ["COGNITO"],
};

/** The cognito-local origin is the hosted UI domain: it serves /oauth2/* itself. */
const domainOf = (pool: Pool) => pool.endpoint.replace(/\/$/, "");

function settings(pool: Pool, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "pool-id": pool.poolId,
    "client-id": pool.clientId,
    endpoint: pool.endpoint,
    "auth-flow": "USER_PASSWORD_AUTH",
    domain: domainOf(pool),
    "redirect-uri": REDIRECT,
    ...extra,
  };
}

/** The callback page's test hooks; undefined while the frame shows cognito-local's (cross-origin) form. */
function hosted(frame: HTMLIFrameElement): HostedTest | undefined {
  try {
    return (frame.contentWindow as (Window & { hostedTest?: HostedTest }) | null)?.hostedTest;
  } catch {
    return undefined;
  }
}

/** Loads the callback page (optionally with a query) in an iframe, as a fresh page load. */
async function openCallback(pool: Pool, query = "", extra: Record<string, string> = {}): Promise<HTMLIFrameElement> {
  localStorage.setItem(CONFIG_KEY, JSON.stringify(settings(pool, extra)));
  const frame = document.createElement("iframe");
  frame.className = "test-mount";
  frame.style.cssText = "width: 480px; height: 640px";
  frame.src = `${REDIRECT}${query}`;
  const container = document.createElement("div");
  container.className = "test-mount";
  container.append(frame);
  document.body.append(container);
  await pageLoaded(frame);
  return frame;
}

/** Waits for a (new) document of the callback page whose store has read its session. */
async function pageLoaded(frame: HTMLIFrameElement, previous?: HostedTest): Promise<HostedTest> {
  return waitFor(() => {
    const page = hosted(frame);
    return page && page !== previous && page.status() !== "loading" ? page : undefined;
  }, "the callback page to load");
}

function button(frame: HTMLIFrameElement, provider: string): HTMLButtonElement {
  const found = frame.contentDocument?.querySelector<HTMLButtonElement>(`cognito-login button.provider[data-provider="${provider}"]`);
  ok(found, `a button for provider "${provider}"`);
  return found;
}

function loginAlert(frame: HTMLIFrameElement): string {
  return frame.contentDocument?.querySelector("cognito-login .provider-error")?.textContent?.trim() ?? "";
}

const submitForm = (input: { username: string; password: string; state?: string }) =>
  executeServerCommand<{ authorizeUrl: string }, unknown>("hosted:submitForm", input);

async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** What the element kept for the round trip (this tab's sessionStorage, shared with its iframes). */
function pending(pool: Pool): { state: string; verifier: string } | null {
  const raw = sessionStorage.getItem(PENDING(pool.clientId));
  return raw ? JSON.parse(raw) : null;
}

/** Every key and value of both storages, to prove a code or state is not kept anywhere. */
function storedText(): string {
  const parts: string[] = [];
  for (const storage of [localStorage, sessionStorage]) {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i)!;
      if (key !== CONFIG_KEY) parts.push(key, storage.getItem(key) ?? "");
    }
  }
  return parts.join("\n");
}

/** POSTs to cognito-local's token endpoint directly, as an attacker holding a code would. */
async function tokenRequest(pool: Pool, form: Record<string, string>): Promise<{ status: number; error?: string }> {
  const response = await fetch(`${domainOf(pool)}/oauth2/token`, { method: "POST", body: new URLSearchParams(form) });
  const body = await response.json();
  return { status: response.status, error: body.error };
}

/** Clicks a hosted UI button in the frame and signs in on cognito-local's form; answers where the browser went. */
async function signInThroughHostedUi(frame: HTMLIFrameElement, pool: Pool, user: User, provider = "Google", state?: string) {
  const before = hosted(frame);
  button(frame, provider).click();
  const started = await waitFor(() => pending(pool), "the verifier and state to be kept for the round trip");
  const { authorizeUrl } = await submitForm({ username: user.username, password: user.password, ...(state === undefined ? {} : { state }) });
  const page = await pageLoaded(frame, before);
  return { authorizeUrl: new URL(authorizeUrl), started, page, callback: new URL(page.arrivedAt) };
}

describe("hosted UI sign-in (authorization code + PKCE, real cognito-local)", () => {
  let pool: Pool;
  let user: User;
  beforeEach(async () => {
    pool = await server.createPool({ client: OAUTH_CLIENT });
    user = await server.createUser(pool, { attributes: { email: `h${Date.now()}@example.com` } });
    localStorage.clear();
    sessionStorage.clear();
  });
  afterEach(unmountAll);

  it("provider button → cognito-local's form → back on the redirect URI signed in; reload keeps it; refresh works; the gate accepts the token", async () => {
    const frame = await openCallback(pool);
    equal(hosted(frame)!.status(), "signed-out");
    const { authorizeUrl, started, page, callback } = await signInThroughHostedUi(frame, pool, user, "Google");

    // The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3).
    equal(authorizeUrl.origin + authorizeUrl.pathname, `${domainOf(pool)}/oauth2/authorize`);
    const query = Object.fromEntries(authorizeUrl.searchParams);
    deepEqual(Object.keys(query).sort(), ["client_id", "code_challenge", "code_challenge_method", "identity_provider", "redirect_uri", "response_type", "scope", "state"]);
    equal(query["response_type"], "code");
    equal(query["client_id"], pool.clientId);
    equal(query["redirect_uri"], REDIRECT);
    equal(query["scope"], "openid email profile");
    equal(query["identity_provider"], "Google");
    equal(query["code_challenge_method"], "S256");
    equal(query["state"], started.state);
    equal(query["code_challenge"], await s256(started.verifier), "the challenge is S256 of the kept verifier");
    ok(/^[\w-]{43}$/.test(started.verifier) && /^[\w-]{43}$/.test(started.state), "32 random bytes each, base64url");

    // Back on the redirect URI: cognito-local sent a code; the element exchanged it.
    const code = callback.searchParams.get("code");
    ok(code, "cognito-local redirected with a code");
    equal(callback.searchParams.get("state"), started.state);
    await waitFor(() => page.status() === "signed-in", "the callback page to be signed in");
    equal((frame.contentWindow!.document.querySelector("cognito-login")!.textContent ?? "").includes(`Signed in as ${user.username}`), true, "the login shows the user");
    deepEqual(page.events.filter((event) => event.type === "cognito-signed-in").map((event) => event.detail), [{ username: user.username, loginId: user.username }]);

    // Nothing of the round trip remains: not in the address bar, not in either storage.
    equal(frame.contentWindow!.location.href, REDIRECT, "code and state stripped from the URL");
    equal(pending(pool), null, "verifier and state deleted");
    ok(!storedText().includes(code) && !storedText().includes(started.state) && !storedText().includes(started.verifier), "no code, state or verifier stored");
    // …and the tokens sit where amazon-cognito-identity-js reads them.
    const prefix = `CognitoIdentityServiceProvider.${pool.clientId}.`;
    equal(localStorage.getItem(`${prefix}LastAuthUser`), user.username);
    for (const name of ["idToken", "accessToken", "refreshToken", "clockDrift"]) ok(localStorage.getItem(`${prefix}${user.username}.${name}`), `${name} stored`);

    // The code was spent by the element: a second exchange is refused (RFC 6749 §4.1.2: single use).
    const replay = await tokenRequest(pool, { grant_type: "authorization_code", client_id: pool.clientId, code, redirect_uri: REDIRECT, code_verifier: started.verifier });
    deepEqual(replay, { status: 400, error: "invalid_grant" }, "the same code used twice");

    // A real reload restores the session from storage.
    frame.contentWindow!.location.reload();
    const reloaded = await pageLoaded(frame, page);
    equal(reloaded.status(), "signed-in", "still signed in after a reload");
    equal(reloaded.events.length, 0, "a reload is not a new sign-in");

    // Refresh works with the refresh token the hosted UI issued (REFRESH_TOKEN_AUTH).
    const refreshed = (await reloaded.refresh()) as { username: string } | null;
    equal(refreshed?.username, user.username);

    // The access token passes the gate (workerd, verifying against cognito-local's JWKS).
    const gate = await server.startGate(pool);
    const answer = await reloaded.fetchJson(`${gate.gateUrl}/api/whoami`);
    equal(answer.status, 200, "the gate accepts the hosted UI's access token");
    equal(answer.body.sub, user.sub);
    const seen = await server.originRequests(gate.index);
    equal(seen.at(-1)?.sub, user.sub, "the origin saw the verified user");

    // Sign-out with the emulator as domain: cognito-local has no /logout, so the page stays put.
    const signOut = frame.contentDocument!.querySelector("cognito-sign-out button") as HTMLButtonElement;
    signOut.click();
    await waitFor(() => reloaded.status() === "signed-out", "signed out");
    equal(sdkKeys(localStorage, pool.clientId).length, 0, "every token removed");
    equal(frame.contentWindow!.location.href, REDIRECT, "no navigation to a /logout the emulator does not serve");
  });

  it('"Continue with hosted sign-in" sends no identity_provider', async () => {
    const frame = await openCallback(pool);
    const { authorizeUrl, page } = await signInThroughHostedUi(frame, pool, user, "");
    equal(authorizeUrl.searchParams.has("identity_provider"), false);
    await waitFor(() => page.status() === "signed-in", "signed in");
  });

  it("a tampered state is refused before the code is spent, and nothing is stored", async () => {
    const frame = await openCallback(pool);
    const forged = "A".repeat(43);
    const { started, page, callback } = await signInThroughHostedUi(frame, pool, user, "MyOIDC", forged);
    equal(callback.searchParams.get("state"), forged, "cognito-local echoed the forged state");
    await waitFor(() => loginAlert(frame) === en.errors.state_mismatch, "the state mismatch message");
    equal(page.status(), "signed-out");
    equal(sdkKeys(localStorage, pool.clientId).length, 0, "no tokens stored");
    equal(pending(pool), null, "the round trip is over: verifier and state deleted");
    equal(frame.contentWindow!.location.href, REDIRECT, "code and state stripped from the URL");
    deepEqual(page.events.map((event) => [event.type, event.detail.code]), [["cognito-error", "state_mismatch"]]);
    // The element never sent the code: it is still redeemable (here, by the test) with the verifier.
    const unspent = await tokenRequest(pool, {
      grant_type: "authorization_code", client_id: pool.clientId, code: callback.searchParams.get("code")!, redirect_uri: REDIRECT, code_verifier: started.verifier,
    });
    equal(unspent.status, 200, "the element did not exchange a code it could not tie to its own request");
  });

  it("a wrong verifier is refused by the token endpoint, and nothing is stored", async () => {
    const frame = await openCallback(pool);
    const before = hosted(frame);
    button(frame, "Google").click();
    const started = await waitFor(() => pending(pool), "the round trip to start");
    // Another verifier under the same state: the challenge sent no longer matches.
    sessionStorage.setItem(PENDING(pool.clientId), JSON.stringify({ state: started.state, verifier: "B".repeat(43) }));
    await submitForm({ username: user.username, password: user.password });
    const page = await pageLoaded(frame, before);
    await waitFor(() => loginAlert(frame) === en.errors.authorization_code_invalid, "the refusal message");
    equal(page.status(), "signed-out");
    equal(sdkKeys(localStorage, pool.clientId).length, 0, "no tokens stored");
    equal(pending(pool), null);
    deepEqual(page.events.map((event) => event.detail.code), ["authorization_code_invalid"]);
  });

  it("a replayed code is refused by the element too, with no partial session", async () => {
    const frame = await openCallback(pool);
    const { started, page, callback } = await signInThroughHostedUi(frame, pool, user);
    await waitFor(() => page.status() === "signed-in", "signed in once");
    (frame.contentDocument!.querySelector("cognito-sign-out button") as HTMLButtonElement).click();
    await waitFor(() => page.status() === "signed-out", "signed out");
    // The same callback again, with the same tab's verifier and state put back: the code is spent.
    sessionStorage.setItem(PENDING(pool.clientId), JSON.stringify(started));
    frame.contentWindow!.location.assign(callback.href);
    const again = await pageLoaded(frame, page);
    await waitFor(() => loginAlert(frame) === en.errors.authorization_code_invalid, "the replay refused");
    equal(again.status(), "signed-out");
    equal(sdkKeys(localStorage, pool.clientId).length, 0, "no tokens stored");
    equal(frame.contentWindow!.location.href, REDIRECT);
  });

  it("error= on the callback (the provider refused) shows a message and stores nothing", async () => {
    sessionStorage.setItem(PENDING(pool.clientId), JSON.stringify({ state: "S".repeat(43), verifier: "V".repeat(43) }));
    const frame = await openCallback(pool, `?error=access_denied&error_description=User+cancelled&state=${"S".repeat(43)}`);
    await waitFor(() => loginAlert(frame) === en.errors.provider_refused, "the provider refusal");
    equal(hosted(frame)!.status(), "signed-out");
    equal(frame.contentWindow!.location.href, REDIRECT, "error and state stripped from the URL");
    equal(sdkKeys(localStorage, pool.clientId).length, 0);
    equal(pending(pool), null, "the round trip is over");
    deepEqual(hosted(frame)!.events.map((event) => event.detail.code), ["provider_refused"]);
  });

  it("an error= with a state this tab did not send reads as a state mismatch; one without state is not a callback", async () => {
    const frame = await openCallback(pool, "?error=access_denied&state=forged");
    await waitFor(() => loginAlert(frame) === en.errors.state_mismatch, "the state mismatch message");
    const other = await openCallback(pool, "?error=something-the-app-uses");
    // Waits on the page's own completion (shared with the one <cognito-config> started) instead of a sleep.
    equal(await hosted(other)!.complete(), null, "not read as a callback");
    deepEqual(hosted(other)!.events, [], "no cognito-error");
    equal(hosted(other)!.status(), "signed-out");
    equal(loginAlert(other), "", "no message");
    ok(other.contentWindow!.location.search.includes("error="), "the page's own query is left alone");
  });

  it("a network failure at the token endpoint shows the network message and stores nothing", async () => {
    const dead = (await server.deadEndpoint()).replace(/\/$/, "");
    sessionStorage.setItem(PENDING(pool.clientId), JSON.stringify({ state: "S".repeat(43), verifier: "V".repeat(43) }));
    const frame = await openCallback(pool, `?code=abc&state=${"S".repeat(43)}`, { domain: dead });
    await waitFor(() => loginAlert(frame) === en.errors.network, "the network message");
    equal(hosted(frame)!.status(), "signed-out");
    equal(sdkKeys(localStorage, pool.clientId).length, 0);
    equal(pending(pool), null);
    equal(frame.contentWindow!.location.href, REDIRECT);
  });

  it("a callback this tab did not start (no verifier kept) is refused", async () => {
    const frame = await openCallback(pool, "?code=abc&state=whatever");
    await waitFor(() => loginAlert(frame) === en.errors.state_mismatch, "the state mismatch message");
    equal(sdkKeys(localStorage, pool.clientId).length, 0);
    const again = (await hosted(frame)!.complete()) as unknown;
    equal(again, null, "nothing left to complete once the URL is clean");
  });

  // cognito-local serves no /logout. The domain is pointed at the test server instead, so the
  // sign-out's real navigation lands somewhere the test can read: the URL real Cognito would get.
  it("sign-out after a hosted sign-in visits <domain>/logout?client_id&logout_uri (domain: the test server, as cognito-local has no /logout)", async () => {
    const frame = await openCallback(pool);
    const { page } = await signInThroughHostedUi(frame, pool, user);
    await waitFor(() => page.status() === "signed-in", "signed in");
    // Same session, now with a domain that is not the emulator (the emulator keeps answering the API).
    localStorage.setItem(CONFIG_KEY, JSON.stringify(settings(pool, { domain: location.origin })));
    frame.contentWindow!.location.reload();
    const reloaded = await pageLoaded(frame, page);
    equal(reloaded.status(), "signed-in");
    (frame.contentDocument!.querySelector("cognito-sign-out button") as HTMLButtonElement).click();
    const logout = new URLSearchParams({ client_id: pool.clientId, logout_uri: REDIRECT });
    await waitFor(() => {
      try {
        return frame.contentWindow!.location.href === `${location.origin}/logout?${logout}`;
      } catch {
        return false;
      }
    }, "the frame to navigate to /logout");
    equal(sdkKeys(localStorage, pool.clientId).length, 0, "tokens removed before leaving");
  });
});

describe("hosted UI settings and buttons", () => {
  afterEach(unmountAll);

  it("validates domain, redirect-uri and scopes, naming the setting", () => {
    const base = { poolId: "eu-west-1_AbC123", clientId: "abc123" };
    const failure = (options: Record<string, unknown>, source: "options" | "attributes" = "options") => {
      try {
        parseConfig({ ...base, ...options }, source);
      } catch (error) {
        ok(error instanceof ConfigError);
        return `${error.setting} ${error.problem}`;
      }
      return "ok";
    };
    equal(failure({ domain: "ftp://auth.example.com", redirectUri: "https://app.example.com/" }), "domain invalid");
    equal(failure({ domain: "http://auth.example.com", redirectUri: "https://app.example.com/" }), "domain invalid", "http only on loopback");
    equal(failure({ domain: "https://auth.example.com/path", redirectUri: "https://app.example.com/" }), "domain invalid");
    equal(failure({ domain: "auth.example.com" }), "redirectUri missing");
    equal(failure({ domain: "auth.example.com" }, "attributes"), "redirect-uri missing");
    equal(failure({ redirectUri: "https://app.example.com/" }), "domain missing");
    equal(failure({ domain: "auth.example.com", redirectUri: "not a url" }, "attributes"), "redirect-uri invalid");
    equal(failure({ domain: "auth.example.com", redirectUri: "https://app.example.com/#x" }), "redirectUri invalid");
    equal(failure({ domain: "auth.example.com", redirectUri: "https://app.example.com/", scopes: 'openid "x"' }), "scopes invalid");
    const config = parseConfig({ ...base, domain: "myprefix.auth.eu-west-1.amazoncognito.com", redirectUri: "https://app.example.com/cb" });
    equal(config.domain, "https://myprefix.auth.eu-west-1.amazoncognito.com");
    equal(config.scopes, "openid email profile");
    equal(parseConfig({ ...base, domain: "http://127.0.0.1:9229/", redirectUri: "http://localhost:3000/", scopes: " openid  aws.cognito.signin.user.admin " }).scopes, "openid aws.cognito.signin.user.admin");
    equal(parseConfig(base).domain, undefined);
  });

  it("the logout URL for a hosted session on a real Cognito domain; none for the emulator or a password session", () => {
    const storage = new MemoryStorage();
    const real = new AuthClient(parseConfig({ poolId: "eu-west-1_AbC123", clientId: "abc123", domain: "auth.example.com", redirectUri: "https://app.example.com/cb" }), { storage });
    equal(hostedLogoutUrl(real), undefined, "a password session has no hosted UI session to end");
    storage.setItem("CognitoIdentityServiceProvider.abc123.hosted", "1");
    equal(hostedLogoutUrl(real), "https://auth.example.com/logout?client_id=abc123&logout_uri=https%3A%2F%2Fapp.example.com%2Fcb");
    const emulator = new AuthClient(
      parseConfig({ poolId: "local_AbC123", clientId: "abc123", endpoint: "http://127.0.0.1:9229/", domain: "http://127.0.0.1:9229", redirectUri: "http://localhost:8000/" }),
      { storage },
    );
    equal(hostedLogoutUrl(emulator), undefined, "cognito-local has no /logout");
  });

  it("<cognito-login providers hosted-ui> renders one button per provider, labels overridable, as text", async () => {
    configure({ poolId: "eu-west-1_AbC123", clientId: "abc123", domain: "auth.example.com", redirectUri: "https://app.example.com/cb", storage: "memory" });
    setMessages({ login: { provider: (name) => (name === "MyOIDC" ? '<img src=x onerror="alert(1)">Acme SSO' : en.login.provider(name)) } });
    const login = mount("cognito-login", { providers: "Google Facebook MyOIDC", "hosted-ui": "" });
    try {
      const buttons = await waitFor(() => {
        const found = [...login.querySelectorAll<HTMLButtonElement>("button.provider")];
        return found.length ? found : undefined;
      }, "the provider buttons");
      deepEqual(
        buttons.map((b) => [b.dataset["provider"], b.textContent!.trim(), b.type]),
        [
          ["Google", "Continue with Google", "button"],
          ["Facebook", "Continue with Facebook", "button"],
          ["MyOIDC", '<img src=x onerror="alert(1)">Acme SSO', "button"],
          ["", "Sign in with your organisation", "button"],
        ],
      );
      equal(login.querySelector("img"), null, "a label is text, never HTML");
    } finally {
      // Overrides cannot be removed; this page registers English only, so English again is a true reset.
      setMessages({ login: { provider: en.login.provider } });
    }
    ok(login.querySelector('input[name="password"]'), "the password form is still there");
    const divider = login.querySelector(".divider")!;
    equal(divider.textContent?.trim(), en.login.or);
    const follows = (a: Node, b: Node) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    ok(follows(login.querySelector('button[type="submit"]')!, divider) && follows(divider, login.querySelector("button.provider")!), "the providers sit below the form, after an \"or\" divider");
  });

  it("buttons without a domain show which setting is missing", async () => {
    configure({ poolId: "eu-west-1_AbC123", clientId: "abc124", storage: "memory" });
    const login = mount("cognito-login", { providers: "Google" });
    await waitFor(() => login.querySelector(".config-error"), "the config error");
    equal(login.querySelector(".config-error")!.textContent, en.config("domain", "missing"));
    equal(login.querySelector("button.provider"), null);
  });
});
