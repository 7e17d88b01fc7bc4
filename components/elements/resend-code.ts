/**
 * "Send a new code" on a code step: busy while the request runs (a second click sends nothing),
 * then "A new code is on its way to …", and a cooldown with a visible countdown before the next
 * one. The first resend is open at once: the first code may never have arrived. One per element
 * with a code step.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import { messages } from "../i18n/messages.ts";

/** Seconds between two codes: Cognito limits how often it sends one. */
const COOLDOWN_SECONDS = 30;

export class ResendCode implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #sending = false;
  /** Where the last new code went: undefined before any resend, "" when Cognito did not say. */
  #sentTo: string | undefined;
  #until = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#stopTimer();
  }

  /** A code step opened: no resend status, no cooldown. */
  started(): void {
    this.#sentTo = undefined;
    this.#until = 0;
    this.#stopTimer();
  }

  get #remaining(): number {
    return Math.max(0, Math.ceil((this.#until - Date.now()) / 1000));
  }

  /** Runs `send` unless one is running or cooling down; it resolves with the delivery, or undefined when it failed. */
  async send(send: () => Promise<{ readonly destination?: string } | undefined>): Promise<void> {
    if (this.#sending || this.#remaining > 0) return;
    this.#sending = true;
    this.#sentTo = undefined;
    this.#host.requestUpdate();
    try {
      const delivery = await send();
      if (delivery) {
        this.#sentTo = delivery.destination ?? "";
        this.#cooldown();
      }
    } finally {
      this.#sending = false;
      this.#host.requestUpdate();
    }
  }

  /** The button, and the status that says where the new code went. */
  render(onClick: () => void, disabled = false): TemplateResult {
    const text = messages();
    const remaining = this.#remaining;
    const label = this.#sending ? text.busy : remaining > 0 ? text.confirm.resendIn(remaining) : text.confirm.resend;
    return html`<button
        type="button"
        class="secondary resend"
        ?disabled=${disabled || this.#sending || remaining > 0}
        aria-busy=${this.#sending ? "true" : "false"}
        @click=${onClick}
      >${label}</button>
      <p class="status" role="status">${this.#sentTo === undefined ? nothing : text.confirm.resent(this.#sentTo || undefined)}</p>`;
  }

  #cooldown(): void {
    this.#until = Date.now() + COOLDOWN_SECONDS * 1000;
    this.#stopTimer();
    this.#timer = setInterval(() => {
      if (this.#remaining === 0) this.#stopTimer();
      this.#host.requestUpdate();
    }, 1000);
    this.#host.requestUpdate();
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
