// The demo app: plain ES modules and the public API of cognito-elements, nothing else.
import { config } from "/demo-config.js";
import { authFetch, authStore, configure } from "/cognito-elements.js";

configure({
  poolId: config.poolId,
  clientId: config.clientId,
  region: config.region,
  endpoint: config.endpoint,
  authFlow: config.authFlow,
  domain: config.domain,
  redirectUri: config.redirectUri,
  // The Files page's identity pool, on moto_server beside the local Cognito (when it runs).
  identityPoolId: config.files?.identityPoolId,
  identityEndpoint: config.files?.endpoint,
  // The API is the gate, on its own origin: authFetch sends the token there and nowhere else.
  apiOrigins: [new URL(config.gateUrl).origin],
});

// --- a tiny router: each view is a <section data-view="/path">
const views = [...document.querySelectorAll("[data-view]")];

function show(path) {
  const view = views.find((v) => v.dataset.view === path) ?? views[0];
  for (const v of views) v.hidden = v !== view;
  document.title = `${view.dataset.title} · cognito-elements demo`;
  if (view.dataset.view === "/files") void showFiles(view);
}

// --- the Files page: its module (AWS credentials, S3 signing) loads the first time it is shown
let files;
async function showFiles(view) {
  if (!config.files) {
    view.querySelector("#files-off").hidden = false;
    view.querySelector("cognito-auth-gate").hidden = true;
    return;
  }
  if (authStore.snapshot.status !== "signed-in") return;
  files ??= import("/files.js").then(({ setupFiles }) => setupFiles(config.files, view));
  await (await files).refresh();
}
authStore.subscribe(() => {
  if (location.pathname === "/files") void showFiles(document.querySelector('[data-view="/files"]'));
});

function navigate(path) {
  if (location.pathname !== path) history.pushState(null, "", path);
  show(path);
  document.getElementById("main").focus({ preventScroll: true });
}

document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[data-route]");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(new URL(link.href).pathname);
});
addEventListener("popstate", () => show(location.pathname));
show(location.pathname);

// The elements ask to move between flows; the host routes without a page load.
const routes = { "sign-in": "/sign-in", "sign-up": "/sign-up", "reset-password": "/reset-password" };
document.addEventListener("cognito-navigate", (event) => {
  event.preventDefault();
  if (event.detail.to === "reset-password" && event.detail.username) {
    document.querySelector("cognito-reset-password").setAttribute("prefill", event.detail.username);
  }
  navigate(routes[event.detail.to] ?? "/");
});
document.addEventListener("cognito-signed-in", () => {
  if (["/sign-in", "/sign-up", "/reset-password"].includes(location.pathname)) navigate("/protected");
});
document.addEventListener("cognito-signed-out", () => navigate("/"));
document.addEventListener("cognito-password-reset", () => navigate("/sign-in"));

// --- the header shows who is signed in
const who = document.getElementById("who");
function renderWho() {
  const state = authStore.snapshot;
  who.textContent = state.status === "signed-in" ? state.attributes.name || state.username : "";
}
authStore.subscribe(renderWho);
renderWho();

// --- calling the origin through the gate
function showResult(output, status, body) {
  output.dataset.status = String(status);
  output.textContent = `HTTP ${status}\n${JSON.stringify(body, null, 2)}`;
}

async function call(output, request) {
  // Cleared first, so the last call's status is never read as this one's answer.
  delete output.dataset.status;
  output.textContent = "Calling…";
  try {
    const response = await request();
    showResult(output, response.status, await response.json());
  } catch (error) {
    output.dataset.status = "error";
    output.textContent = error.message;
  }
}

const api = (path) => new URL(path, config.gateUrl);
const apiResult = document.getElementById("api-result");
const signedIn = () => authStore.snapshot.status === "signed-in";
document.getElementById("call-api").addEventListener("click", () =>
  call(apiResult, () => (signedIn() ? authFetch(api("/api/whoami")) : fetch(api("/api/whoami")))),
);
document.getElementById("call-api-anonymous").addEventListener("click", () => call(apiResult, () => fetch(api("/api/whoami"))));
const adminResult = document.getElementById("admin-result");
document.getElementById("call-admin").addEventListener("click", () => call(adminResult, () => authFetch(api("/api/admin/report"))));
