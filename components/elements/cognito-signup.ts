import { html, LitElement, nothing, type TemplateResult } from "lit";
import type { AuthError } from "../auth/errors.ts";
import { messages } from "../i18n/messages.ts";
import { AuthController } from "./auth-controller.ts";
import { CognitoConfirmedEvent, CognitoSignedInEvent, CognitoSignedUpEvent } from "./events.ts";
import { FormController } from "./form-controller.ts";
import { clearForms, configErrorView, errorRegion, field, formValue, navigateLink, reportError, submitButton, uniqueId } from "./parts.ts";
import { meetsPolicy, parsePolicy, passwordRules } from "./password-rules.ts";
import { adoptStyles } from "./styles.ts";

type Step = "form" | "confirm" | "done";


/** `type` and `autocomplete` for standard attributes (HTML autofill field names). */
const INPUTS: Readonly<Record<string, { type: string; autocomplete: string }>> = {
  email: { type: "email", autocomplete: "email" },
  name: { type: "text", autocomplete: "name" },
  given_name: { type: "text", autocomplete: "given-name" },
  family_name: { type: "text", autocomplete: "family-name" },
  middle_name: { type: "text", autocomplete: "additional-name" },
  nickname: { type: "text", autocomplete: "nickname" },
  preferred_username: { type: "text", autocomplete: "nickname" },
  phone_number: { type: "tel", autocomplete: "tel" },
  birthdate: { type: "date", autocomplete: "bday" },
  gender: { type: "text", autocomplete: "sex" },
  address: { type: "text", autocomplete: "street-address" },
  locale: { type: "text", autocomplete: "language" },
  zoneinfo: { type: "text", autocomplete: "off" },
  website: { type: "url", autocomplete: "url" },
  profile: { type: "url", autocomplete: "url" },
  picture: { type: "url", autocomplete: "photo" },
};

function words(value: string | undefined | null): string[] {
  return (value ?? "").split(/\s+/).filter(Boolean);
}

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
    step: { state: true, attribute: false },
    destination: { state: true, attribute: false },
    resent: { state: true, attribute: false },
    typedPassword: { state: true, attribute: false },
  };

  fields = "email";
  requiredFields: string | undefined;
  usernameAttribute: "email" | "phone_number" | undefined;
  passwordMinLength: number | undefined;
  passwordRules: string | undefined;
  signInAfterConfirm = false;
  signinHref: string | undefined;

  private step: Step = "form";
  private destination: string | undefined;
  private resent = false;
  /** Only the rule results are rendered, never this. */
  private typedPassword = "";

  readonly #auth = new AuthController(this);
  readonly #form = new FormController(this);
  readonly #id = uniqueId("cognito-signup");
  #username = "";
  /** Held for sign-in-after-confirm after confirmation, then dropped. */
  #password = "";
  #lastStatus = "";

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles("cognito-signup", "");
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#password = "";
  }

  protected override willUpdate(): void {
    const status = this.#auth.snapshot.status;
    if (status === "signed-out" && this.#lastStatus === "signed-in" && this.step === "done") this.#restart();
    this.#lastStatus = status;
  }

  get #attributeNames(): string[] {
    const names = words(this.fields);
    if (this.usernameAttribute && !names.includes(this.usernameAttribute)) names.unshift(this.usernameAttribute);
    return names;
  }

  get #required(): Set<string> {
    return new Set(this.requiredFields === undefined ? this.#attributeNames : words(this.requiredFields));
  }

  protected override render(): TemplateResult | typeof nothing {
    const configError = this.#auth.configError;
    if (configError) return configErrorView(configError);
    const snapshot = this.#auth.snapshot;
    if (snapshot.status === "signed-in" && this.step !== "confirm") {
      return html`<p class="signed-in" role="status">${messages().login.signedInAs(snapshot.username)}</p>`;
    }
    switch (this.step) {
      case "form":
        return this.#signUpForm();
      case "confirm":
        return this.#confirmForm();
      case "done":
        return this.#done();
    }
  }

  #fieldId(name: string): string {
    return `${this.#id}-${name.replaceAll(":", "-")}`;
  }

  #label(name: string): string {
    const text = messages();
    if (name === "username") return text.fields.username;
    if (name === "password") return text.fields.password;
    return text.attributes[name] ?? name.replace(/^custom:/, "").replaceAll("_", " ");
  }

  #signUpForm(): TemplateResult {
    const text = messages();
    const problem = this.#form.problem;
    const errorId = `${this.#id}-error`;
    const rulesId = `${this.#id}-rules`;
    const required = this.#required;
    const policy = parsePolicy(this.passwordMinLength, this.passwordRules);
    return html`<form novalidate @submit=${this.#signUp} aria-labelledby=${`${this.#id}-title`}><h2 id=${`${this.#id}-title`}>${text.signup.title}</h2> ${this.usernameAttribute
        ? nothing
        : field({ id: this.#fieldId("username"), name: "username", label: text.fields.username, autocomplete: "username", required: true, errorId, problem })} ${this.#attributeNames.map((name) => {
        const input = INPUTS[name] ?? { type: "text", autocomplete: "off" };
        const isUsername = name === this.usernameAttribute;
        const isRequired = isUsername || required.has(name);
        return field({
          id: this.#fieldId(name),
          name,
          label: this.#label(name),
          type: input.type,
          // The sign-in identifier must carry `username` so password managers save it with the password.
          autocomplete: isUsername ? "username" : input.autocomplete,
          required: isRequired,
          errorId,
          problem,
          ...(isRequired ? {} : { labelSuffix: text.signup.optional }),
        });
      })} ${field({
        id: this.#fieldId("password"),
        name: "password",
        label: text.fields.password,
        type: "password",
        autocomplete: "new-password",
        required: true,
        errorId,
        problem,
        describedBy: rulesId,
        onInput: (event) => (this.typedPassword = (event.target as HTMLInputElement).value),
      })} ${passwordRules(rulesId, policy, this.typedPassword)} ${errorRegion(errorId, problem)} ${submitButton(text.signup.submit, this.#form.pending)} <div class="links">${this.#signInLink()}</div></form>`;
  }

  #confirmForm(): TemplateResult {
    const text = messages();
    const problem = this.#form.problem;
    const errorId = `${this.#id}-error`;
    return html`<form novalidate @submit=${this.#confirm} aria-labelledby=${`${this.#id}-title`}><h2 id=${`${this.#id}-title`}>${text.confirm.title}</h2><p class="hint" id=${`${this.#id}-hint`}>${text.confirm.hint(this.destination)}</p><input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#username} /> ${field({
        id: this.#fieldId("code"),
        name: "code",
        label: text.fields.code,
        autocomplete: "one-time-code",
        inputmode: "numeric",
        required: true,
        errorId,
        problem,
        describedBy: `${this.#id}-hint`,
      })} ${errorRegion(errorId, problem)} <p class="status" role="status">${this.resent ? text.confirm.resent(this.destination) : ""}</p> ${submitButton(text.confirm.submit, this.#form.pending)} <button type="button" class="secondary" ?disabled=${this.#form.pending} @click=${this.#resend}>${text.confirm.resend}</button></form>`;
  }

  #done(): TemplateResult {
    const text = messages();
    return html`<div class="panel"><p class="status" role="status">${text.signup.confirmed}</p><div class="links">${this.#signInLink()}</div></div>`;
  }

  #signInLink(): TemplateResult {
    return navigateLink(this, "sign-in", messages().signup.toSignIn, this.signinHref, () => this.#username);
  }

  #fieldFor = (error: AuthError): string | undefined => {
    switch (error.code) {
      case "username_exists":
        return this.usernameAttribute ?? "username";
      case "password_policy":
        return "password";
      case "code_mismatch":
      case "code_expired":
        return "code";
      default:
        return undefined;
    }
  };

  #signUp = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending) return;
    const usernameField = this.usernameAttribute ?? "username";
    const mustFill = [usernameField, ...this.#attributeNames.filter((name) => this.#required.has(name)), "password"];
    const missing = mustFill.find((name) => formValue(form, name).trim() === "");
    if (missing) return this.#form.invalid({ text: (text) => text.validation.required(this.#label(missing)), field: missing });
    const password = formValue(form, "password");
    if (!meetsPolicy(parsePolicy(this.passwordMinLength, this.passwordRules), password)) {
      return this.#form.invalid({ text: (text) => text.validation.passwordRules, field: "password" });
    }
    const username = formValue(form, usernameField).trim();
    const attributes: Record<string, string> = {};
    for (const name of this.#attributeNames) {
      const value = formValue(form, name).trim();
      if (value !== "") attributes[name] = value;
    }
    const result = await this.#form.run(() => client.signUp({ username, password, attributes }), this.#fieldFor);
    if (!result) return this.#failed();
    this.#username = username;
    this.#password = this.signInAfterConfirm ? password : "";
    this.destination = result.destination;
    this.dispatchEvent(new CognitoSignedUpEvent({ username, userConfirmed: result.userConfirmed, ...(result.destination ? { destination: result.destination } : {}) }));
    if (result.userConfirmed) return this.#confirmed();
    this.#form.reset();
    this.step = "confirm";
  };

  #confirm = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending) return;
    const code = formValue(form, "code").trim();
    if (!code) return this.#form.invalid({ text: (text) => text.validation.required(text.fields.code), field: "code" });
    const username = this.#username;
    const ok = await this.#form.run(() => client.confirmSignUp(username, code).then(() => true), this.#fieldFor);
    if (!ok) return this.#failed();
    this.dispatchEvent(new CognitoConfirmedEvent({ username }));
    await this.#confirmed();
  };

  async #confirmed(): Promise<void> {
    const client = this.#auth.client;
    const password = this.#password;
    this.#password = "";
    clearForms(this);
    this.typedPassword = "";
    if (!this.signInAfterConfirm || !client || !password) {
      this.#form.reset();
      this.step = "done";
      return;
    }
    const username = this.#username;
    const result = await this.#form.run(() => client.signIn(username, password));
    this.step = "done";
    if (result?.kind === "signed-in") this.dispatchEvent(new CognitoSignedInEvent({ username }));
    else if (!result) this.#failed();
  }

  #resend = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    const username = this.#username;
    const delivery = await this.#form.run(() => client.resendCode(username));
    if (!delivery) return this.#failed();
    if (delivery.destination) this.destination = delivery.destination;
    this.resent = true;
  };

  #failed(): void {
    reportError(this, this.#form.problem);
  }

  #restart(): void {
    this.#password = "";
    this.#username = "";
    this.typedPassword = "";
    this.resent = false;
    this.destination = undefined;
    this.#form.reset();
    this.step = "form";
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-signup": CognitoSignup;
  }
}
