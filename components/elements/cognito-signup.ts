import { LitElement, type PropertyValues } from "lit";
import { AuthController } from "./auth-controller.ts";
import { LazyView, preloadable } from "./lazy-view.ts";
import type { UsernameAttribute } from "./parts.ts";
import { adoptStyles } from "./styles.ts";

const loadView = () => import("./signup-view.ts");
preloadable("sign-up", loadView);

/**
 * Sign-up form: a username (or the email/phone the pool signs in with), the attributes named in
 * `fields`, and a password whose rules are listed before submit; then the confirmation code,
 * with resend; optionally signs the user straight in.
 *
 * @tag cognito-signup
 * @summary Create an account in a Cognito user pool.
 *
 * @slot - Nothing: the element renders its own light-DOM form.
 *
 * @event cognito-signed-up - Account created; `detail.username`, `detail.userConfirmed`, `detail.destination`.
 * @event cognito-confirmed - The code was accepted; `detail.username`.
 * @event cognito-signed-in - Signed in after confirmation (with `sign-in-after-confirm`); `detail.username`.
 * @event cognito-navigate - The user asked for sign-in; cancelable.
 * @event cognito-error - A request failed; `detail.code`.
 *
 * @attr fields - Attributes to ask for, standard and `custom:` (default `email`).
 * @attr required-fields - Which of them must be filled (default: all of `fields`).
 * @attr username-attribute - `email` or `phone_number` when the pool uses it as the username (default: `<cognito-config username-attribute>`).
 * @attr password-min-length - Shown and checked before submit (default 8, Cognito's default).
 * @attr password-rules - Any of `upper lower number symbol` (default all, Cognito's default); `""` for none.
 * @attr sign-in-after-confirm - Sign in right after confirmation.
 * @attr passwordless - No password: the pool signs users in with passkeys or one-time codes
 *   (`USER_AUTH`). After the code, ConfirmSignUp's session signs the user in at once (no second code).
 * @attr passkey-prompt - With `passwordless`: right after that sign-in, offer to add a passkey to this
 *   device (where the browser has WebAuthn).
 * @attr signin-href - Link target for "Sign in" (else, unless a listener cancels `cognito-navigate`, the sign-in form shows in place).
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
export class CognitoSignup extends LitElement {
  static override properties = {
    fields: {},
    requiredFields: { attribute: "required-fields" },
    usernameAttribute: { attribute: "username-attribute" },
    passwordMinLength: { attribute: "password-min-length", type: Number },
    passwordRules: { attribute: "password-rules" },
    signInAfterConfirm: { attribute: "sign-in-after-confirm", type: Boolean },
    passwordless: { type: Boolean },
    passkeyPrompt: { attribute: "passkey-prompt", type: Boolean },
    signinHref: { attribute: "signin-href" },
  };

  fields = "email";
  requiredFields: string | undefined;
  usernameAttribute: UsernameAttribute;
  passwordMinLength: number | undefined;
  passwordRules: string | undefined;
  signInAfterConfirm = false;
  passwordless = false;
  passkeyPrompt = false;
  signinHref: string | undefined;

  readonly #auth = new AuthController(this);
  readonly #view = new LazyView(async () => new (await loadView()).SignupView(this, this.#auth));

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles("cognito-signup", "");
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
    "cognito-signup": CognitoSignup;
  }
}
