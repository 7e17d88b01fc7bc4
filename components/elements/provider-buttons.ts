/**
 * The hosted UI buttons of `<cognito-login>` (issue 9): one per name in its `providers` attribute,
 * and "Continue with hosted sign-in" with `hosted-ui`. A controller, so the login re-renders while
 * a callback completes or when it failed. No icons are fetched: style `.provider[data-provider]`.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import { hostedStatus, onHostedStatus, startHostedSignIn } from "../auth/hosted.ts";
import { messages } from "../auth/messages.ts";
import { authStore } from "../auth/store.ts";
import { adoptStyles } from "./styles.ts";

const STYLES = `
cognito-login .providers { display: grid; gap: calc(var(--_space) / 2); }
cognito-login button.provider { color: var(--_text); background: var(--_bg); border-color: var(--_border); }
`;

/** `provider-labels='{"MyOIDC": "Acme SSO"}'`: labels that replace "Continue with …". */
function labels(json: string | null): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(json ?? "{}");
    return parsed && typeof parsed === "object" ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export class ProviderButtons implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #stop: (() => void) | undefined;
  /** Between the click and the navigation (the digest is async): a second click sends nothing. */
  #starting = false;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    adoptStyles("provider-buttons", STYLES);
    this.#stop = onHostedStatus(() => this.#host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#stop?.();
  }

  render(): TemplateResult | typeof nothing {
    const host = this.#host;
    const providers = (host.getAttribute("providers") ?? "").split(/\s+/).filter(Boolean);
    const hostedUi = host.hasAttribute("hosted-ui");
    if (!providers.length && !hostedUi) return nothing;
    const text = messages();
    if (!authStore.client?.config.domain) return html`<p class="config-error" role="alert">${text.config("domain", "missing")}</p>`;
    const { pending, error } = hostedStatus();
    const named = labels(host.getAttribute("provider-labels"));
    const button = (provider: string, label: string) =>
      html`<button type="button" class="provider" data-provider=${provider} ?disabled=${pending || this.#starting} @click=${() => this.#start(provider)}>
        ${label}
      </button>`;
    return html`<div class="providers">
      ${providers.map((name) => button(name, named[name] ?? text.login.provider(name)))}
      ${hostedUi ? button("", text.login.hostedUi) : nothing}
      ${pending ? html`<p class="status" role="status">${text.login.completing}</p>` : nothing}
      ${error ? html`<p class="error" role="alert">${text.errors[error.code]}</p>` : nothing}
    </div>`;
  }

  async #start(provider: string): Promise<void> {
    if (this.#starting) return;
    this.#starting = true;
    this.#host.requestUpdate();
    try {
      await startHostedSignIn(provider || undefined);
    } finally {
      // After location.assign the page is leaving; if it comes back from the back/forward cache the buttons work again.
      this.#starting = false;
      this.#host.requestUpdate();
    }
  }
}
