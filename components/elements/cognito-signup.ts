import { LitElement, nothing, type TemplateResult } from "lit";
import { AuthController } from "./auth-controller.ts";
import { LazyView } from "./lazy-view.ts";
import { adoptStyles } from "./styles.ts";

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
 * @attr username-attribute - `email` or `phone_number` when the pool uses it as the username.
 * @attr password-min-length - Shown and checked before submit (default 8, Cognito's default).
 * @attr password-rules - Any of `upper lower number symbol` (default all, Cognito's default); `""` for none.
 * @attr sign-in-after-confirm - Sign in right after confirmation.
 * @attr signin-href - Link target for "Sign in" (else only the event fires).
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
    signinHref: { attribute: "signin-href" },
  };

  fields = "email";
  requiredFields: string | undefined;
  usernameAttribute: "email" | "phone_number" | undefined;
  passwordMinLength: number | undefined;
  passwordRules: string | undefined;
  signInAfterConfirm = false;
  signinHref: string | undefined;

  readonly #auth = new AuthController(this);
  // The steps and their handlers: signup-view.ts, fetched when the first sign-up form connects.
  readonly #view = new LazyView(this, async () => new (await import("./signup-view.ts")).SignupView(this, this.#auth));

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles("cognito-signup", "");
  }

  protected override render(): TemplateResult | typeof nothing {
    return this.#view.render();
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    await this.#view.loaded;
    return super.getUpdateComplete();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-signup": CognitoSignup;
  }
}
