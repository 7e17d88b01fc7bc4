import { html, nothing, type TemplateResult } from "lit";
import { AuthError } from "../auth/errors.ts";
import { messages } from "../i18n/messages.ts";
import type { AuthController } from "./auth-controller.ts";
import type { CognitoResetPassword } from "./cognito-reset-password.ts";
import { CognitoPasswordResetEvent } from "./events.ts";
import { FormController } from "./form-controller.ts";
import { reactive } from "./lazy-view.ts";
import { clearForms, codeField, configErrorView, errorRegion, field, formValue, navigateLink, reportError, submitButton, uniqueId, usernameField, type UsernameAttribute } from "./parts.ts";
import { PasswordFields } from "./password-field.ts";
import { parsePolicy } from "./password-rules.ts";
import { ResendCode } from "./resend-code.ts";
import { formatOf, validate } from "./validation.ts";
import { ViewSwitch } from "./view-switch.ts";

type Step = "request" | "confirm" | "done";

function fieldFor(error: AuthError): string | undefined {
  if (error.code === "code_mismatch" || error.code === "code_expired") return "code";
  if (error.code === "password_policy") return "new-password";
  return error.code === "invalid_parameter" ? "username" : undefined;
}

/** `<cognito-reset-password>`'s forms, state and handlers, loaded on its first render (lazy-view.ts). */
export class ResetPasswordView {
  step: Step = "request";

  readonly #host: CognitoResetPassword;
  readonly #auth: AuthController;
  readonly #form: FormController;
  readonly #passwords: PasswordFields;
  readonly #resendCode: ResendCode;
  readonly #switch: ViewSwitch;
  readonly #id = uniqueId("cognito-reset-password");
  #username = "";

  constructor(host: CognitoResetPassword, auth: AuthController) {
    this.#host = host;
    this.#auth = auth;
    this.#form = new FormController(host);
    this.#passwords = new PasswordFields(host);
    this.#resendCode = new ResendCode(host);
    this.#switch = new ViewSwitch(host, "reset-password");
    reactive(this, host, ["step"]);
  }

  /** The element's own `username-attribute`, else the config's. */
  get #usernameAttribute(): UsernameAttribute {
    return this.#auth.usernameAttribute(this.#host.usernameAttribute);
  }

  render(): TemplateResult | typeof nothing {
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
          value: this.#username || this.#host.prefill || "",
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
      ${this.#passwords.newPassword({
        id: `${this.#id}-new-password`,
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
    return parsePolicy(this.#host.passwordMinLength, this.#host.passwordRules);
  }

  #signInLink(): TemplateResult {
    return navigateLink(this.#host, "sign-in", messages().reset.toSignIn, this.#host.signinHref, () => this.#username, (to) => this.#switch.open(to));
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
      if (error instanceof AuthError && error.code === "user_not_found") return {};
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
    clearForms(this.#host);
    this.#passwords.clear();
    this.step = "done";
    this.#host.dispatchEvent(new CognitoPasswordResetEvent({ username }));
  };

  #failed(): void {
    reportError(this.#host, this.#form.problem);
  }
}
