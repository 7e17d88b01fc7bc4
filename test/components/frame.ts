/**
 * A page in an iframe, as a second tab or a reloaded page would be: its own copy of the package,
 * configured by a <cognito-config> from the query string, with one of each element.
 */
import { authStore } from "../../components/index.ts";

const params = new URLSearchParams(location.search);
const config = document.createElement("cognito-config");
for (const name of ["pool-id", "client-id", "endpoint", "auth-flow", "storage"]) {
  const value = params.get(name);
  if (value) config.setAttribute(name, value);
}
document.body.append(config, document.createElement("cognito-login"), document.createElement("cognito-sign-out"), document.createElement("cognito-signup"));

const redirect = params.get("gate-redirect");
if (redirect) {
  const gate = document.createElement("cognito-auth-gate");
  gate.setAttribute("redirect", redirect);
  gate.textContent = "protected";
  document.body.append(gate);
}

(window as Window & { cognitoTest?: unknown }).cognitoTest = {
  status: () => authStore.snapshot.status,
  snapshot: () => authStore.snapshot,
};
