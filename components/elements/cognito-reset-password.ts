import { html, LitElement, nothing, type TemplateResult } from "lit";
import type { AuthError } from "../auth/errors.ts";
import { messages } from "../i18n/messages.ts";
import { AuthController } from "./auth-controller.ts";
import { CognitoPasswordResetEvent } from "./events.ts";
import { FormController } from "./form-controller.ts";
import { clearForms, configErrorView, errorRegion, field, formValue, navigateLink, reportError, submitButton, uniqueId, usernameField, type UsernameAttribute } from "./parts.ts";
import { meetsPolicy, parsePolicy, passwordRules } from "./password-rules.ts";
import { adoptStyles } from "./styles.ts";

type Step = "request" | "confirm" | "done";

function fieldFor(error: AuthError): string | undefined {
  if (error.code === "code_mismatch" || error.code === "code_expired") return "code";
  if (error.code === "password_policy") return "new-password";
  return error.code === "user_not_found" || error.code === "invalid_parameter" ? "username" : undefined;
}

/**
 * Password reset: asks for the username (or email), sends a code, then takes the code and the new
 * password twice (a mismatch is caught before any request), and reports success.
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
 * @attr username-attribute - `email` or `phone_number` when the pool signs in with that.
 * @attr password-min-length - Shown and checked before submit (default 8).
 * @attr password-rules - Any of `upper lower number symbol` (default all); `""` for none.
 * @attr signin-href - Link target for "Back to sign in" (else only the event fires).
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
    destination: { state: true, attribute: false },
    typedPassword: { state: true, attribute: false },
  };

  prefill: string | undefined;
  usernameAttribute: UsernameAttribute;
  passwordMinLength: number | undefined;
  passwordRules: string | undefined;
  signinHref: string | undefined;

  private step: Step = "request";
  private destination: string | undefined;
  private typedPassword = "";

  readonly #auth = new AuthController(this);
  readonly #form = new FormController(this);
  readonly #id = uniqueId("cognito-reset-password");
  #username = "";

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles("cognito-reset-password", "");
  }

  protected override render(): TemplateResult | typeof nothing {
    const configError = this.#auth.configError;
    if (configError) return configErrorView(configError);
    const text = messages();
    const problem = this.#form.problem;
    const errorId = `${this.#id}-error`;
    const title = html`<h2 id=${`${this.#id}-title`}>${text.reset.title}</h2>`;
    if (this.step === "done") {
      return html`<div class="panel">${title}<p class="status" role="status">${text.reset.done}</p><div class="links">${this.#signInLink()}</div></div>`;
    }
    if (this.step === "request") {
      const { label, type } = usernameField(text, this.usernameAttribute);
      return html`<form novalidate @submit=${this.#request} aria-labelledby=${`${this.#id}-title`}> ${title} <p class="hint" id=${`${this.#id}-hint`}>${text.reset.hint}</p> ${field({ id: `${this.#id}-username`, name: "username", label, type, autocomplete: "username", required: true, errorId, problem, describedBy: `${this.#id}-hint`, value: this.#username || this.prefill || "" })} ${errorRegion(errorId, problem)} ${submitButton(text.reset.submit, this.#form.pending)} <div class="links">${this.#signInLink()}</div></form>`;
    }
    const rulesId = `${this.#id}-rules`;
    return html`<form novalidate @submit=${this.#confirm} aria-labelledby=${`${this.#id}-title`}> ${title} <p class="hint" id=${`${this.#id}-hint`}>${text.reset.codeHint(this.destination)}</p><input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#username} /> ${field({ id: `${this.#id}-code`, name: "code", label: text.fields.code, autocomplete: "one-time-code", inputmode: "numeric", required: true, errorId, problem, describedBy: `${this.#id}-hint` })} ${field({
        id: `${this.#id}-new-password`,
        name: "new-password",
        label: text.fields.newPassword,
        type: "password",
        autocomplete: "new-password",
        required: true,
        errorId,
        problem,
        describedBy: rulesId,
        onInput: (event) => (this.typedPassword = (event.target as HTMLInputElement).value),
      })} ${field({ id: `${this.#id}-repeat-password`, name: "repeat-password", label: text.fields.repeatPassword, type: "password", autocomplete: "new-password", required: true, errorId, problem })} ${passwordRules(rulesId, this.#policy, this.typedPassword)} ${errorRegion(errorId, problem)} ${submitButton(text.reset.confirmSubmit, this.#form.pending)} <button type="button" class="link" ?disabled=${this.#form.pending} @click=${this.#resend}>${text.confirm.resend}</button></form>`;
  }

  get #policy() {
    return parsePolicy(this.passwordMinLength, this.passwordRules);
  }

  #signInLink(): TemplateResult {
    return navigateLink(this, "sign-in", messages().reset.toSignIn, this.signinHref, () => this.#username);
  }

  #request = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const username = formValue(event.currentTarget as HTMLFormElement, "username").trim();
    if (!client || this.#form.pending) return;
    if (!username) return this.#form.invalid({ text: (text) => text.validation.required(usernameField(text, this.usernameAttribute).label), field: "username" });
    this.#username = username;
    const delivery = await this.#form.run(() => client.forgotPassword(username), fieldFor);
    if (!delivery) return this.#failed();
    this.destination = delivery.destination;
    this.#form.reset();
    this.step = "confirm";
  };

  #resend = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    const delivery = await this.#form.run(() => client.forgotPassword(this.#username));
    if (delivery) this.destination = delivery.destination;
    else this.#failed();
  };

  #confirm = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending) return;
    const code = formValue(form, "code").trim();
    const password = formValue(form, "new-password");
    if (!code) return this.#form.invalid({ text: (text) => text.validation.required(text.fields.code), field: "code" });
    if (!meetsPolicy(this.#policy, password)) return this.#form.invalid({ text: (text) => text.validation.passwordRules, field: "new-password" });
    if (password !== formValue(form, "repeat-password")) return this.#form.invalid({ text: (text) => text.validation.passwordsDiffer, field: "repeat-password" });
    const username = this.#username;
    const ok = await this.#form.run(() => client.confirmPassword(username, code, password).then(() => true), fieldFor);
    if (!ok) return this.#failed();
    clearForms(this);
    this.typedPassword = "";
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
