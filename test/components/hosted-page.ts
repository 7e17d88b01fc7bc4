/**
 * The redirect URI of the hosted UI tests (test/.build/hosted.html), loaded in an iframe: its own
 * copy of the package, configured by a <cognito-config> from the settings the test left in
 * localStorage (the URL must stay exactly the registered callback URL), with a login offering the
 * provider buttons and a sign-out button.
 */
import { authFetch, authStore, completeHostedSignIn } from "../../components/index.ts";

export const CONFIG_KEY = "cognito-elements-test.hosted-config";

// Read before the package sees it: the tests reuse the code to prove it is single-use.
const arrivedAt = location.href;
const settings = JSON.parse(localStorage.getItem(CONFIG_KEY) ?? "{}") as Record<string, string>;
const events: Array<{ type: string; detail: unknown }> = [];
for (const type of ["cognito-signed-in", "cognito-error", "cognito-signed-out"]) {
  document.addEventListener(type, (event) => events.push({ type, detail: (event as CustomEvent).detail }));
}

const config = document.createElement("cognito-config");
for (const [name, value] of Object.entries(settings)) if (name !== "providers") config.setAttribute(name, value);
const login = document.createElement("cognito-login");
login.setAttribute("providers", settings["providers"] ?? "Google MyOIDC");
login.setAttribute("hosted-ui", "");
document.body.append(config, login, document.createElement("cognito-sign-out"));

(window as Window & { hostedTest?: unknown }).hostedTest = {
  arrivedAt,
  events,
  status: () => authStore.snapshot.status,
  snapshot: () => authStore.snapshot,
  complete: () => completeHostedSignIn(),
  refresh: () => authStore.client!.refresh(),
  fetchJson: async (url: string) => {
    // The gate starts after the page: allow its origin now (authFetch sends the token nowhere else).
    config.setAttribute("api-origins", new URL(url).origin);
    await (config as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    const response = await authFetch(url);
    return { status: response.status, body: await response.json() };
  },
};
