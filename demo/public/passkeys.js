// The Passkeys page: plain ES modules and the public API of cognito-elements, nothing else.
import { config } from "/demo-config.js";

// The page's <cognito-config auth-flow="USER_AUTH"> gets the pool, its own app client and, on the
// local stack, the stand-in's endpoint before the elements load, so they start configured.
const settings = document.querySelector("cognito-config");
settings.setAttribute("pool-id", config.poolId);
settings.setAttribute("client-id", config.passkeys.clientId);
if (config.region) settings.setAttribute("region", config.region);
if (config.passkeys.endpoint) settings.setAttribute("endpoint", config.passkeys.endpoint);
// The API is the gate, on its own origin: authFetch sends the token there and nowhere else.
settings.setAttribute("api-origins", new URL(config.gateUrl).origin);

const { authFetch, authStore } = await import("/cognito-elements.js");

// Chromium refuses WebAuthn on an IP address ("invalid domain"): point to the same page on localhost.
if (location.hostname !== "localhost") {
  const link = document.getElementById("localhost-link");
  link.href = `http://localhost:${location.port}/passkeys`;
  link.textContent = link.href;
  document.getElementById("use-localhost").hidden = false;
}
if (config.passkeys.code) {
  document.getElementById("fixed-code").textContent = config.passkeys.code;
  document.getElementById("stand-in").hidden = false;
}

// --- the header shows who is signed in
const who = document.getElementById("who");
function renderWho() {
  const state = authStore.snapshot;
  who.textContent = state.status === "signed-in" ? state.attributes.name || state.username : "";
}
authStore.subscribe(renderWho);
renderWho();

// --- calling the origin through the gate with this page's access token
const output = document.getElementById("api-result");
document.getElementById("call-api").addEventListener("click", async () => {
  // Cleared first, so the last call's status is never read as this one's answer.
  delete output.dataset.status;
  output.textContent = "Calling…";
  try {
    const response = await authFetch(new URL("/api/whoami", config.gateUrl));
    const body = await response.json();
    output.dataset.status = String(response.status);
    output.textContent = `HTTP ${response.status}\n${JSON.stringify(body, null, 2)}`;
  } catch (error) {
    output.dataset.status = "error";
    output.textContent = error.message;
  }
});
