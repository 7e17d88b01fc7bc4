import { html, LitElement, nothing, type TemplateResult } from "lit";
import { messages } from "../auth/messages.ts";
import { AuthController } from "./auth-controller.ts";
import { CognitoSignedOutEvent } from "./events.ts";
import { FormController } from "./form-controller.ts";
import { adoptStyles } from "./styles.ts";

const STYLES = `
cognito-sign-out { display: inline-block; }
cognito-sign-out:not([auth-state="signed-in"]) { display: none; }
`;

/**
 * A sign-out button, shown only while someone is signed in. Removes every token the SDK stored
 * (local, session or memory storage); every element on the page and in other tabs then shows
 * signed-out.
 *
 * @summary Sign out of the Cognito user pool.
 *
 * @slot - Nothing: the element renders its own button.
 *
 * @event cognito-signed-out - The user signed out here (other tabs only update their state).
 *
 * @cssproperty --cognito-color-accent - Button background.
 * @cssproperty --cognito-color-on-accent - Button text.
 * @cssproperty --cognito-radius - Corner radius.
 * @cssproperty --cognito-font - Font family.
 * @cssproperty --cognito-focus-ring - Focus indicator (a box-shadow).
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
