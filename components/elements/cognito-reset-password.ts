import { html, LitElement, nothing, type TemplateResult } from "lit";
import type { AuthError } from "../auth/errors.ts";
import { messages } from "../i18n/messages.ts";
import { AuthController } from "./auth-controller.ts";
import { CognitoPasswordResetEvent } from "./events.ts";
import { FormController } from "./form-controller.ts";
import { clearForms, codeField, configErrorView, errorRegion, field, formValue, navigateLink, reportError, submitButton, uniqueId, usernameField, type UsernameAttribute } from "./parts.ts";
import { PasswordFields } from "./password-field.ts";
import { parsePolicy } from "./password-rules.ts";
import { ResendCode } from "./resend-code.ts";
import { formatOf, validate } from "./validation.ts";
import { ViewSwitch } from "./view-switch.ts";
import { adoptStyles } from "./styles.ts";

type Step = "request" | "confirm" | "done";

function fieldFor(error: AuthError): string | undefined {
  if (error.code === "code_mismatch" || error.code === "code_expired") return "code";
  if (error.code === "password_policy") return "new-password";
  return error.code === "invalid_parameter" ? "username" : undefined;
}

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
    step: { state: true, attribute: false },
  };

  prefill: string | undefined;
  usernameAttribute: UsernameAttribute;
  passwordMinLength: number | undefined;
  passwordRules: string | undefined;
  signinHref: string | undefined;

  private step: Step = "request";

  readonly #auth = new AuthController(this);
  readonly #form = new FormController(this);
  readonly #passwords = new PasswordFields(this);
  readonly #resendCode = new ResendCode(this);
  readonly #switch = new ViewSwitch(this, "reset-password");
  readonly #id = uniqueId("cognito-reset-password");
  #username = "";

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles("cognito-reset-password", "");
  }

  /** The element's own `username-attribute`, else the config's. */
  get #usernameAttribute(): UsernameAttribute {
    return this.usernameAttribute ?? this.#auth.client?.config.usernameAttribute;
  }

  protected override render(): TemplateResult | typeof nothing {
    const configError = this.#auth.configError;
    if (configError) return configErrorView(configError);
    if (this.#switch.view) return this.#switch.render(this.#usernameAttribute);
    const text = messages();
    const form = this.#form;
    const errorId = `${this.#id}-error`;
    const title = html`<h2 id=${`${this.#id}-title`}>${text.reset.title}</h2>`;
    if (this.step === "done") {
      return html`<div class="panel">
        ${title}
        <p class="status" role="status">${text.reset.done}</p>
        <div class="links">${this.#signInLink()}</div>
      </div>`;
    }
    const { label, type } = usernameField(text, this.#usernameAttribute);
    if (this.step === "request") {
      return html`<form novalidate @submit=${this.#request} aria-labelledby=${`${this.#id}-title`}>
        ${title}
        <p class="hint" id=${`${this.#id}-hint`}>${text.reset.hint}</p>
        ${field({
          id: `${this.#id}-username`,
          name: "username",
          label,
          type,
          autocomplete: "username",
          required: true,
          errorId,
          form,
          describedBy: `${this.#id}-hint`,
          value: this.#username || this.prefill || "",
        })}
        ${errorRegion(errorId, form.problem)}
        ${submitButton(text.reset.submit, form.pending)}
        <div class="links">${this.#signInLink()}</div>
      </form>`;
    }
    return html`<form novalidate @submit=${this.#confirm} aria-labelledby=${`${this.#id}-title`}>
      ${title}
      <p class="hint" id=${`${this.#id}-hint`}>${text.reset.codeHint(this.#username)}</p>
      <input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#username} />
      ${codeField({ id: `${this.#id}-code`, errorId, form, describedBy: `${this.#id}-hint` })}
      ${this.#passwords.render({
        id: `${this.#id}-new-password`,
        name: "new-password",
        label: text.fields.newPassword,
        autocomplete: "new-password",
        required: true,
        errorId,
        form,
        policy: this.#policy,
      })}
      ${errorRegion(errorId, form.problem)}
      ${submitButton(text.reset.confirmSubmit, form.pending)}
      ${this.#resendCode.render(this.#resend, form.pending)}
      <div class="links">
        <button type="button" class="link" @click=${this.#changeUsername}>${text.confirm.back(label)}</button>
      </div>
    </form>`;
  }

  get #policy() {
    return parsePolicy(this.passwordMinLength, this.passwordRules);
  }

  #signInLink(): TemplateResult {
    return navigateLink(this, "sign-in", messages().reset.toSignIn, this.signinHref, () => this.#username, (to) => this.#switch.open(to));
  }

  #request = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending) return;
    const format = formatOf(this.#usernameAttribute);
    const problems = validate(form, [
      { name: "username", label: (text) => usernameField(text, this.#usernameAttribute).label, required: true, ...(format ? { format } : {}) },
    ]);
    if (problems.length) return this.#form.invalidFields(problems);
    const username = formValue(form, "username").trim();
    this.#username = username;
    const sent = await this.#form.run(() => this.#sendCode(username), fieldFor);
    if (!sent) return this.#failed();
    this.#form.reset();
    this.#resendCode.started();
    this.step = "confirm";
  };

  /**
   * ForgotPassword, reading the same for an account that does not exist: a pool client with
   * PreventUserExistenceErrors answers as if it did; one without it (LEGACY) says
   * UserNotFoundException, which is taken as sent too, so the form never tells who has an account.
   */
  async #sendCode(username: string): Promise<{ readonly destination?: string }> {
    try {
      return await this.#auth.client!.forgotPassword(username);
    } catch (error) {
      if (error instanceof Error && (error as AuthError).code === "user_not_found") return {};
      throw error;
    }
  }

  #resend = (): void => {
    if (this.#form.pending) return;
    void this.#resendCode.send(async () => {
      const delivery = await this.#form.run(() => this.#sendCode(this.#username));
      if (!delivery) this.#failed();
      return delivery;
    });
  };

  /** Back from the code step to the first one, the username filled in, to fix it. */
  #changeUsername = (): void => {
    this.#passwords.clear();
    this.#form.reset();
    this.step = "request";
  };

  #confirm = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending) return;
    const problems = validate(form, [
      { name: "code", label: (text) => text.fields.code, required: true },
      { name: "new-password", label: (text) => text.fields.newPassword, required: true, policy: this.#policy },
    ]);
    if (problems.length) return this.#form.invalidFields(problems);
    const code = formValue(form, "code").trim();
    const password = formValue(form, "new-password");
    const username = this.#username;
    const ok = await this.#form.run(() => client.confirmPassword(username, code, password).then(() => true), fieldFor);
    if (!ok) return this.#failed();
    clearForms(this);
    this.#passwords.clear();
    this.step = "done";
    this.dispatchEvent(new CognitoPasswordResetEvent({ username }));
  };

  #failed(): void {
    reportError(this, this.#form.problem);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-reset-password": CognitoResetPassword;
  }
}
