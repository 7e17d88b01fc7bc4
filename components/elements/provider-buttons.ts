/**
 * The hosted UI buttons of `<cognito-login>` (issue 9): one per name in its `providers` attribute,
 * and "Continue with hosted sign-in" with `hosted-ui`. A controller, so the login re-renders while
 * a callback completes or when it failed. Labels come from `messages().login.provider(name)`
 * (override with `setMessages`); no icons are fetched: style `.provider[data-provider="Google"]`.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import { hostedStatus, onHostedStatus } from "../auth/hosted-state.ts";
import { authStore, startHostedSignIn } from "../auth/store.ts";
import { messages } from "../i18n/messages.ts";
import "./hosted-events.ts";

type Host = ReactiveControllerHost & HTMLElement & { providers?: string | undefined; hostedUi: boolean };

export class ProviderButtons implements ReactiveController {
  readonly #host: Host;
  #stop: (() => void) | undefined;

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#stop = onHostedStatus(() => this.#host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#stop?.();
  }

  render(): TemplateResult | typeof nothing {
    const { hostedUi } = this.#host;
    const providers = (this.#host.providers ?? "").split(/\s+/).filter(Boolean);
    if (!providers.length && !hostedUi) return nothing;
    const text = messages();
    if (!authStore.client?.config.domain) return html`<p class="config-error" role="alert">${text.config("domain", "missing")}</p>`;
    const { pending, error } = hostedStatus();
    const button = (provider: string, label: string) =>
      html`<button type="button" class="secondary provider" data-provider=${provider} ?disabled=${pending} @click=${() => startHostedSignIn(provider || undefined)}>${label}</button>`;
    // Each piece on its own line in the form's grid; the error in its own alert region.
    return html`${providers.map((name) => button(name, text.login.provider(name)))}${hostedUi ? button("", text.login.hostedUi) : nothing}${
      pending ? html`<p class="status" role="status">${text.login.completing}</p>` : nothing
    }${error ? html`<p class="error provider-error" role="alert">${text.errors[error.code]}</p>` : nothing}`;
  }
}
