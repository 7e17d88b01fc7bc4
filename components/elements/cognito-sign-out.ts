import { html, LitElement, nothing, type TemplateResult } from "lit";
import { messages } from "../i18n/messages.ts";
import { AuthController } from "./auth-controller.ts";
import { CognitoSignedOutEvent } from "./events.ts";
import { FormController } from "./form-controller.ts";
import { adoptStyles } from "./styles.ts";

const STYLES = `cognito-sign-out{display:inline-block} cognito-sign-out:not([auth-state="signed-in"]){display:none}`;

/**
 * A sign-out button, shown only while someone is signed in. Removes every token the SDK stored
 * (local, session or memory storage); every element on the page and in other tabs then shows
 * signed-out.
 *
 * @tag cognito-sign-out
 * @summary Sign out of the Cognito user pool.
 *
 * @slot - Nothing: the element renders its own button.
 *
 * @event cognito-signed-out - The user signed out here (other tabs only update their state).
 *
 * @cssproperty [--cognito-color-accent=#0969da] - Buttons, links, focus ring (dark: #4493f8).
 * @cssproperty [--cognito-color-on-accent=#ffffff] - Text on buttons (dark: #0d1117).
 * @cssproperty [--cognito-font=system-ui, -apple-system, "Segoe UI", sans-serif] - Font family.
 * @cssproperty [--cognito-font-weight-strong=600] - Weight of labels, buttons and errors.
 * @cssproperty [--cognito-control-padding=0.5rem 0.75rem] - Padding of inputs and buttons.
 * @cssproperty [--cognito-radius=6px] - Corner radius.
 * @cssproperty [--cognito-border-width=1px] - Border width of forms, inputs and buttons.
 * @cssproperty [--cognito-focus-ring=0 0 0 3px color-mix(in srgb, <accent> 45%, transparent)] - Focus indicator (a box-shadow).
 * @cssproperty [--cognito-disabled-opacity=0.6] - Opacity of a disabled (pending) button.
 */
export class CognitoSignOut extends LitElement {
  readonly #auth = new AuthController(this);
  readonly #form = new FormController(this);

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles("cognito-sign-out", STYLES);
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.#auth.snapshot.status !== "signed-in") return nothing;
    return html`<button type="button" ?disabled=${this.#form.pending} @click=${this.#signOut}>${messages().signOut.button}</button>`;
  }

  #signOut = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    // signOut clears storage before it resolves and never fails: a dead network must not keep anyone signed in.
    await this.#form.run(() => client.signOut());
    this.dispatchEvent(new CognitoSignedOutEvent());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-sign-out": CognitoSignOut;
  }
}
