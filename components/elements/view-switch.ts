/**
 * In-place switching between sign-in, sign-up and password reset: a link with no `href`, whose
 * `cognito-navigate` no one cancelled, shows the other form inside the element (inside the auth
 * gate too). The form shown there links back by the same event: its parent takes it, cancels it
 * and shows its own form again. Pages that route themselves cancel the event or set the hrefs.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import type { CognitoNavigateEvent, NavigateTarget } from "./events.ts";
import type { UsernameAttribute } from "./parts.ts";

export class ViewSwitch implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #own: NavigateTarget;
  /** The other form shown in place; undefined while the element shows its own. */
  #view: NavigateTarget | undefined;
  #username = "";

  constructor(host: ReactiveControllerHost & HTMLElement, own: NavigateTarget) {
    this.#host = host;
    this.#own = own;
    host.addController(this);
  }

  get view(): NavigateTarget | undefined {
    return this.#view;
  }

  hostConnected(): void {
    this.#host.addEventListener("cognito-navigate", this.#onNavigate);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener("cognito-navigate", this.#onNavigate);
  }

  /** Shows `to` in place of the element's own form; `username` fills it in where it asks. */
  open(to: NavigateTarget, username = ""): void {
    this.#view = to === this.#own ? undefined : to;
    this.#username = username;
    this.#host.requestUpdate();
  }

  /** Back to the element's own form. */
  close(): void {
    this.#view = undefined;
    this.#host.requestUpdate();
  }

  /** The form shown in place. */
  render(usernameAttribute: UsernameAttribute): TemplateResult {
    switch (this.#view) {
      case "sign-in":
        return html`<cognito-login username-attribute=${usernameAttribute ?? nothing}></cognito-login>`;
      case "sign-up":
        return html`<cognito-signup username-attribute=${usernameAttribute ?? nothing}></cognito-signup>`;
      default:
        return html`<cognito-reset-password username-attribute=${usernameAttribute ?? nothing} prefill=${this.#username}></cognito-reset-password>`;
    }
  }

  // A link inside the form shown in place asks for this element's own form: take it back.
  #onNavigate = (event: Event): void => {
    const navigate = event as CognitoNavigateEvent;
    if (navigate.target === this.#host || this.#view === undefined || navigate.detail.to !== this.#own) return;
    navigate.preventDefault();
    this.close();
  };
}
