import { LitElement, type PropertyValues } from "lit";
import { AuthController } from "./auth-controller.ts";
import { LazyView } from "./lazy-view.ts";
import { adoptStyles } from "./styles.ts";

const STYLES = `cognito-profile{display:grid;gap:var(--_space)} cognito-profile .danger{color:var(--_error)}`;

/**
 * The signed-in user's profile: shows and edits attributes (only changed values are sent), asks
 * for the code when an email or phone number changes, changes the password, shows two-step
 * verification and sets up an authenticator app (or turns MFA off), signs out here or everywhere,
 * and deletes the account after an explicit confirmation. Values from Cognito are always rendered
 * as text.
 *
 * @tag cognito-profile
 * @summary Show and edit the signed-in user's Cognito profile.
 *
 * @slot - Nothing: the element renders its own light-DOM forms.
 *
 * @event cognito-profile-updated - Attributes saved or verified, password changed, MFA turned on or off
 *   (`mfa`), or a passkey added or deleted (`passkeys`); `detail.changed` lists names only.
 * @event cognito-signed-out - Signed out here, everywhere, or after deleting the account; `detail.reason`.
 * @event cognito-error - A request failed; `detail.code`.
 *
 * @attr fields - Attributes to show and edit (default `email name`).
 * @attr password-min-length - Rules for the new password (default 8).
 * @attr password-rules - Any of `upper lower number symbol` (default all); `""` for none.
 * @attr totp-issuer - The name authenticator apps list the account under (default: the page's host name).
 * @attr passkeys - Show the passkeys panel (list, add, delete); on by default with `auth-flow="USER_AUTH"`.
 *   GetUserAuthFactors decides the rest: a user without a password sees no password form.
 *
 * @cssproperty [--cognito-color-text=#1f2328] - Text colour (dark: #e6edf3).
 * @cssproperty [--cognito-color-muted=#59636e] - Hints, status and unmet password rules (dark: #9198a1).
 * @cssproperty [--cognito-color-background=#ffffff] - Form and panel background (dark: #151b23).
 * @cssproperty [--cognito-color-border=#d1d9e0] - Form and panel border (dark: #3d444d).
 * @cssproperty [--cognito-color-input-background=#ffffff] - Input background (dark: #0d1117).
 * @cssproperty [--cognito-color-input-border=#818b98] - Input border, 3:1 against the input (dark: #7d8590).
 * @cssproperty [--cognito-color-accent=#0969da] - Buttons, links, focus ring (dark: #4493f8).
 * @cssproperty [--cognito-color-on-accent=#ffffff] - Text on buttons (dark: #0d1117).
 * @cssproperty [--cognito-color-error=#cf222e] - Error text, invalid inputs, the delete button (dark: #f85149).
 * @cssproperty [--cognito-color-success=#1a7f37] - Met password rules (dark: #3fb950).
 * @cssproperty [--cognito-font=system-ui, -apple-system, "Segoe UI", sans-serif] - Font family.
 * @cssproperty [--cognito-font-mono=ui-monospace, "SF Mono", Menlo, monospace] - Font of setup keys.
 * @cssproperty [--cognito-heading-size=1.25rem] - Heading font size.
 * @cssproperty [--cognito-font-weight-strong=600] - Weight of labels, buttons and errors.
 * @cssproperty [--cognito-spacing=0.75rem] - Gap between rows; panels pad 1.5×.
 * @cssproperty [--cognito-control-padding=0.5rem 0.75rem] - Padding of inputs and buttons.
 * @cssproperty [--cognito-max-width=24rem] - Maximum width of a form or panel.
 * @cssproperty [--cognito-radius=6px] - Corner radius.
 * @cssproperty [--cognito-border-width=1px] - Border width of forms, inputs and buttons.
 * @cssproperty [--cognito-focus-ring=0 0 0 3px color-mix(in srgb, <accent> 45%, transparent)] - Focus indicator (a box-shadow).
 * @cssproperty [--cognito-disabled-opacity=0.6] - Opacity of a disabled (pending) button.
 */
export class CognitoProfile extends LitElement {
  static override properties = {
    fields: {},
    passwordMinLength: { attribute: "password-min-length", type: Number },
    passwordRules: { attribute: "password-rules" },
    totpIssuer: { attribute: "totp-issuer" },
    passkeys: { type: Boolean },
  };

  fields = "email name";
  passwordMinLength: number | undefined;
  passwordRules: string | undefined;
  totpIssuer: string | undefined;
  passkeys = false;

  readonly #auth = new AuthController(this);
  readonly #view = new LazyView(async () => new (await import("./profile-view.ts")).ProfileView(this, this.#auth));

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles("cognito-profile", STYLES);
  }

  protected override scheduleUpdate(): void | Promise<unknown> {
    return this.#view.loading()?.then(() => super.scheduleUpdate()) ?? super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#view.willUpdate(changed);
  }

  protected override render(): unknown {
    return this.#view.render();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-profile": CognitoProfile;
  }
}
