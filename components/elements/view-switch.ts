/**
 * In-place switching between sign-in, sign-up and password reset: a link with no `href`, whose
 * `cognito-navigate` no one cancelled, shows the other form inside the element (inside the auth
 * gate too). The form shown there links back by the same event: its parent takes it, cancels it
 * and shows its own form again. Pages that route themselves cancel the event or set the hrefs.
 *
 * When the switch came from inside the element (the link had focus), focus follows it to the form
 * now shown, once that has rendered (its code may load first): its first empty field, else its
 * first control. Otherwise the link, removed, would leave focus on the page's body (WCAG 2.4.3).
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
  /** Set by a switch made from inside the host: focus goes to the form shown next. */
  #refocus = false;

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
    this.#refocus = this.#focusInside();
    this.#view = to === this.#own ? undefined : to;
    this.#username = username;
    this.#host.requestUpdate();
  }

  /** Back to the element's own form. */
  close(): void {
    this.#refocus = this.#focusInside();
    this.#view = undefined;
    this.#host.requestUpdate();
  }

  hostUpdated(): void {
    if (!this.#refocus) return;
    this.#refocus = false;
    void this.#focusShown();
  }

  #focusInside(): boolean {
    const active = document.activeElement;
    return active !== null && this.#host.contains(active);
  }

  async #focusShown(): Promise<void> {
    // The form in place is the host's one element child; it renders (and may load) on its own.
    const shown = (this.#view ? this.#host.firstElementChild : this.#host) as (HTMLElement & { updateComplete?: Promise<unknown> }) | null;
    await shown?.updateComplete;
    const fields = [...(shown?.querySelectorAll("input") ?? [])].filter((field) => !field.hidden && field.type !== "hidden");
    (fields.find((field) => !field.value) ?? fields[0] ?? shown?.querySelector("button"))?.focus();
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
