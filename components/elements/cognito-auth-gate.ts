import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { messages } from "../i18n/messages.ts";
import { AuthController } from "./auth-controller.ts";
import { safeUrl } from "./parts.ts";

/**
 * Shows its content only to signed-in users (and, with `group`, only to members of one of those
 * Cognito groups). Signed out, it shows its `signed-out` slot — a `<cognito-login>` unless you
 * provide one — or navigates to `redirect`. Nothing protected is shown while the session is still
 * being read. Uses a shadow root only to choose which slot shows; all content stays in the light
 * DOM (forms keep working with password managers).
 *
 * Before the script has loaded, the browser shows a custom element's children as they are; the
 * package's stylesheet hides undefined gates once any element has connected, and a page that loads
 * the script late should add `cognito-auth-gate:not(:defined) { display: none }` itself.
 *
 * This is presentation, not security: anything the browser receives can be read. Protect data
 * behind the edge gate and call it with `authFetch`.
 *
 * @tag cognito-auth-gate
 * @summary Show content only to signed-in users, or to members of a group.
 *
 * @slot - The protected content.
 * @slot signed-out - Shown to signed-out users (default: a `<cognito-login>` added for you).
 * @slot forbidden - Shown to signed-in users outside `group` (default: a short message).
 *
 * @attr group - Space-separated Cognito groups (`cognito:groups` of the access token); any one suffices.
 * @attr redirect - Where to send signed-out users instead of showing the signed-out slot.
 *
 * @csspart forbidden - The default "no access" message.
 *
 * @cssproperty [--cognito-color-text=#1f2328] - Text colour (dark: #e6edf3).
 * @cssproperty [--cognito-color-background=#ffffff] - Form and panel background (dark: #151b23).
 * @cssproperty [--cognito-color-border=#d1d9e0] - Form and panel border (dark: #3d444d).
 * @cssproperty [--cognito-font=system-ui, -apple-system, "Segoe UI", sans-serif] - Font family.
 * @cssproperty [--cognito-spacing=0.75rem] - Gap between rows; panels pad 1.5×.
 * @cssproperty [--cognito-radius=6px] - Corner radius.
 * @cssproperty [--cognito-border-width=1px] - Border width of forms, inputs and buttons.
 */
export class CognitoAuthGate extends LitElement {
  static override styles = css`:host{display:block} :host([hidden]){display:none} [part="forbidden"]{margin:0;padding:var(--_space);color:var(--_text);background:var(--_bg);border:var(--_border-width) solid var(--_border);border-radius:var(--_radius);font-family:var(--_font)}`;

  static override properties = {
    group: {},
    redirect: {},
  };

  group: string | undefined;
  redirect: string | undefined;

  readonly #auth = new AuthController(this);
  #redirected = false;

  protected override render(): TemplateResult | typeof nothing {
    const snapshot = this.#auth.snapshot;
    if (this.#auth.configError || snapshot.status === "signed-out") {
      return this.redirect ? nothing : html`<slot name="signed-out"></slot>`;
    }
    if (snapshot.status === "loading") return nothing;
    const wanted = (this.group ?? "").split(/\s+/).filter(Boolean);
    if (wanted.length > 0 && !wanted.some((group) => snapshot.groups.includes(group))) {
      return html`<slot name="forbidden"><p part="forbidden">${messages().gate.forbidden}</p></slot>`;
    }
    return html`<slot></slot>`;
  }

  protected override updated(): void {
    const signedOut = this.#auth.configError !== undefined || this.#auth.snapshot.status === "signed-out";
    if (!signedOut) {
      this.#redirected = false;
      return;
    }
    if (this.redirect) {
      const target = safeUrl(this.redirect);
      if (target && !this.#redirected) {
        this.#redirected = true;
        location.assign(target);
      }
    } else if (!this.querySelector(':scope > [slot="signed-out"]')) {
      const login = document.createElement("cognito-login");
      login.slot = "signed-out";
      this.append(login);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-auth-gate": CognitoAuthGate;
  }
}
