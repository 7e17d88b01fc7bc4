/**
 * What `<cognito-reset-password>` shows and does, loaded when the first reset form connects
 * (issue 6: most visits never reset a password). The element itself (cognito-reset-password.ts)
 * holds the attributes; this view holds the steps' state and handlers.
 */
import { html, nothing, type TemplateResult } from "lit";
// For the bundler only (see lazy-view.ts): keeps the package's first load in one file.
import "../index.ts";
import type { AuthError } from "../auth/errors.ts";
import { messages } from "../auth/messages.ts";
import type { AuthController } from "./auth-controller.ts";
import type { CognitoResetPassword } from "./cognito-reset-password.ts";
import { CognitoPasswordResetEvent } from "./events.ts";
import { FormController } from "./form-controller.ts";
import type { View } from "./lazy-view.ts";
import { clearForms, configErrorView, errorRegion, field, formValue, navigateLink, reportError, submitButton, uniqueId } from "./parts.ts";
import { meetsPolicy, parsePolicy, passwordRules } from "./password-rules.ts";

interface State {
  readonly step: "request" | "confirm" | "done";
  readonly destination?: string | undefined;
  readonly typedPassword?: string;
}

function fieldFor(error: AuthError): string | undefined {
  if (error.code === "code_mismatch" || error.code === "code_expired") return "code";
  if (error.code === "password_policy") return "new-password";
  return error.code === "user_not_found" || error.code === "invalid_parameter" ? "username" : undefined;
}

export class ResetPasswordView implements View {
  readonly #host: CognitoResetPassword;
  readonly #auth: AuthController;
  readonly #form: FormController;
  readonly #id = uniqueId("cognito-reset-password");
  #state: State = { step: "request" };
  #username = "";

  constructor(host: CognitoResetPassword, auth: AuthController) {
    this.#host = host;
    this.#auth = auth;
    this.#form = new FormController(host);
  }

  /** The one way state changes: the element re-renders. */
  #set(patch: Partial<State>): void {
    this.#state = { ...this.#state, ...patch };
    this.#host.requestUpdate();
  }

  render(): TemplateResult | typeof nothing {
    const configError = this.#auth.configError;
    if (configError) return configErrorView(configError);
    const text = messages();
    const problem = this.#form.problem;
    const errorId = `${this.#id}-error`;
    const { step, destination } = this.#state;
    const usernameAttribute = this.#host.usernameAttribute;
    const title = html`<h2 id=${`${this.#id}-title`}>${text.reset.title}</h2>`;
    if (step === "done") {
      return html`<div class="panel">${title}<p class="status" role="status">${text.reset.done}</p><div class="links">${this.#signInLink()}</div></div>`;
    }
    if (step === "request") {
      const label = usernameAttribute === "email" ? text.fields.email : usernameAttribute === "phone_number" ? text.fields.phone : text.fields.username;
      return html`<form novalidate @submit=${this.#request} aria-labelledby=${`${this.#id}-title`}> ${title} <p class="hint" id=${`${this.#id}-hint`}>${text.reset.hint}</p> ${field({ id: `${this.#id}-username`, name: "username", label, autocomplete: "username", required: true, errorId, problem, describedBy: `${this.#id}-hint`, value: this.#username || this.#host.prefill || "" })} ${errorRegion(errorId, problem)} ${submitButton(text.reset.submit, this.#form.pending)} <div class="links">${this.#signInLink()}</div></form>`;
    }
    const rulesId = `${this.#id}-rules`;
    return html`<form novalidate @submit=${this.#confirm} aria-labelledby=${`${this.#id}-title`}> ${title} <p class="hint" id=${`${this.#id}-hint`}>${text.reset.codeHint(destination)}</p><input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#username} /> ${field({ id: `${this.#id}-code`, name: "code", label: text.fields.code, autocomplete: "one-time-code", inputmode: "numeric", required: true, errorId, problem, describedBy: `${this.#id}-hint` })} ${field({
        id: `${this.#id}-new-password`,
        name: "new-password",
        label: text.fields.newPassword,
        type: "password",
        autocomplete: "new-password",
        required: true,
        errorId,
        problem,
        describedBy: rulesId,
        onInput: (event) => this.#set({ typedPassword: (event.target as HTMLInputElement).value }),
      })} ${field({ id: `${this.#id}-repeat-password`, name: "repeat-password", label: text.fields.repeatPassword, type: "password", autocomplete: "new-password", required: true, errorId, problem })} ${passwordRules(rulesId, this.#policy, this.#state.typedPassword ?? "")} ${errorRegion(errorId, problem)} ${submitButton(text.reset.confirmSubmit, this.#form.pending)} <button type="button" class="link" ?disabled=${this.#form.pending} @click=${this.#resend}>${text.confirm.resend}</button></form>`;
  }

  get #policy() {
    return parsePolicy(this.#host.passwordMinLength, this.#host.passwordRules);
  }

  #signInLink(): TemplateResult {
    return navigateLink(this.#host, "sign-in", messages().reset.toSignIn, this.#host.signinHref, () => this.#username);
  }

  #request = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const username = formValue(event.currentTarget as HTMLFormElement, "username").trim();
    if (!client || this.#form.pending) return;
    if (!username) return this.#form.invalid({ text: (text) => text.validation.required(text.fields.username), field: "username" });
    this.#username = username;
    const delivery = await this.#form.run(() => client.forgotPassword(username), fieldFor);
    if (!delivery) return this.#failed();
    this.#form.reset();
    this.#set({ destination: delivery.destination, step: "confirm" });
  };

  #resend = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    const delivery = await this.#form.run(() => client.forgotPassword(this.#username));
    if (delivery) this.#set({ destination: delivery.destination });
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
    clearForms(this.#host);
    this.#set({ typedPassword: "", step: "done" });
    this.#host.dispatchEvent(new CognitoPasswordResetEvent({ username }));
  };

  #failed(): void {
    reportError(this.#host, this.#form.problem);
  }
}
