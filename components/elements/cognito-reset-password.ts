import { LitElement } from "lit";
import { AuthController } from "./auth-controller.ts";
import { LazyView, preloadable } from "./lazy-view.ts";
import type { UsernameAttribute } from "./parts.ts";
import { adoptStyles } from "./styles.ts";

const loadView = () => import("./reset-password-view.ts");
preloadable("reset-password", loadView);

/**
 * Password reset: asks for the username (or email), sends a code, then takes the code and the new
 * password (once, with a show-password button), and reports success. It reads the same whether
 * or not the account exists, so it cannot be used to find out who has one.
 *
 * @tag cognito-reset-password
 * @summary Reset a forgotten Cognito password.
 *
 * @slot - Nothing: the element renders its own light-DOM form.
 *
 * @event cognito-password-reset - The new password is set; `detail.username`.
 * @event cognito-navigate - The user asked to go back to sign-in; cancelable.
 * @event cognito-error - A request failed; `detail.code`.
 *
 * @attr prefill - Username to start with (e.g. from the login form's `cognito-navigate` detail).
 * @attr username-attribute - `email` or `phone_number` when the pool signs in with that (default: `<cognito-config username-attribute>`).
 * @attr password-min-length - Shown and checked before submit (default 8).
 * @attr password-rules - Any of `upper lower number symbol` (default all); `""` for none.
 * @attr signin-href - Link target for "Back to sign in" (else, unless a listener cancels `cognito-navigate`, the sign-in form shows in place).
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
export class CognitoResetPassword extends LitElement {
  static override properties = {
    prefill: {},
    usernameAttribute: { attribute: "username-attribute" },
    passwordMinLength: { attribute: "password-min-length", type: Number },
    passwordRules: { attribute: "password-rules" },
    signinHref: { attribute: "signin-href" },
  };

  prefill: string | undefined;
  usernameAttribute: UsernameAttribute;
  passwordMinLength: number | undefined;
  passwordRules: string | undefined;
  signinHref: string | undefined;

  readonly #auth = new AuthController(this);
  readonly #view = new LazyView(async () => new (await loadView()).ResetPasswordView(this, this.#auth));

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles("cognito-reset-password", "");
  }

  protected override scheduleUpdate(): void | Promise<unknown> {
    return this.#view.loading()?.then(() => super.scheduleUpdate()) ?? super.scheduleUpdate();
  }

  protected override render(): unknown {
    return this.#view.render();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-reset-password": CognitoResetPassword;
  }
}
