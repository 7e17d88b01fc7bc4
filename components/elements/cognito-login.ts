import { html, LitElement, nothing, type TemplateResult } from "lit";
import type { AuthClient, Factor, MfaType, OtpType, SignInResult } from "../auth/client.ts";
import type { AuthError } from "../auth/errors.ts";
import { messages, type Messages } from "../i18n/messages.ts";
import { AuthController } from "./auth-controller.ts";
import { CognitoSignedInEvent, type CognitoPasswordResetEvent, type NavigateTarget } from "./events.ts";
import { FormController, type MessageOf } from "./form-controller.ts";
import {
  clearForms,
  configErrorView,
  errorRegion,
  field,
  codeField,
  formValue,
  navigateLink,
  problemText,
  reportError,
  submitButton,
  uniqueId,
  usernameField,
  type UsernameAttribute,
} from "./parts.ts";
import { ceremonyFailed } from "./ceremony.ts";
import { PasswordFields } from "./password-field.ts";
import { ProviderButtons } from "./provider-buttons.ts";
import { ResendCode } from "./resend-code.ts";
import { ViewSwitch } from "./view-switch.ts";
import { formatOf, validate } from "./validation.ts";
import { adoptStyles } from "./styles.ts";
import { defaultIssuer, totpKey } from "./totp-setup.ts";

type Step =
  | { readonly name: "credentials" }
  | { readonly name: "new-password"; readonly requiredAttributes: readonly string[] }
  | { readonly name: "mfa"; readonly type: MfaType; readonly destination?: string }
  | { readonly name: "select-mfa"; readonly options: readonly MfaType[] }
  | { readonly name: "mfa-setup"; readonly secret?: string }
  | { readonly name: "confirm" }
  | { readonly name: "reset-required" }
  | { readonly name: "choose"; readonly factors: readonly LoginFactor[] }
  | { readonly name: "otp"; readonly type: OtpType; readonly destination?: string }
  | { readonly name: "passkey"; readonly failed: boolean }
  | { readonly name: "password" };

/** A factor as the `factors` attribute names it. */
type LoginFactor = "passkey" | "email-otp" | "sms-otp" | "password";

const COGNITO_FACTOR: Readonly<Record<Exclude<LoginFactor, "password">, Exclude<Factor, "PASSWORD" | "PASSWORD_SRP">>> = {
  passkey: "WEB_AUTHN",
  "email-otp": "EMAIL_OTP",
  "sms-otp": "SMS_OTP",
};

function loginFactor(factor: Factor): LoginFactor {
  return factor === "WEB_AUTHN" ? "passkey" : factor === "EMAIL_OTP" ? "email-otp" : factor === "SMS_OTP" ? "sms-otp" : "password";
}


const CREDENTIALS: Step = { name: "credentials" };

const STYLES = `cognito-login .signed-in{padding:var(--_space) 0}`;

/** Which input an error is about, for aria-invalid. */
function fieldFor(error: AuthError): string | undefined {
  switch (error.code) {
    case "invalid_credentials":
      return "password";
    case "code_mismatch":
    case "code_expired":
      return "code";
    case "password_policy":
      return "new-password";
    default:
      return undefined;
  }
}

/**
 * Sign-in form: username (or email) and password, then whatever Cognito asks next — a new
 * password, an MFA code, an MFA type, TOTP setup — or account confirmation when the account is
 * not confirmed yet. With `factors` (or `auth-flow="USER_AUTH"`): the username, then a passkey, an
 * email or SMS code, or the password, as the page prefers and Cognito offers.
 *
 * @tag cognito-login
 * @summary Sign in to a Cognito user pool.
 *
 * @slot - Nothing: the element renders its own light-DOM form (password managers need it).
 *
 * @event cognito-signed-in - Signed in; `detail.username`.
 * @event cognito-navigate - The user asked for sign-up or password reset; `detail.to`,
 *   `detail.username`. Cancelable: cancel it to route yourself instead of following the href.
 * @event cognito-error - A request failed; `detail.code` (an AuthErrorCode).
 *
 * @attr username-attribute - `email` or `phone_number` when the pool signs in with that instead of a username
 *   (default: `<cognito-config username-attribute>`).
 * @attr signup-href - Link target for "Create an account" (else only the event fires).
 * @attr reset-href - Link target for "Forgot your password?" (else only the event fires).
 * @attr providers - Identity providers for the hosted UI, space-separated (`Google Facebook MyOIDC`): one
 *   button each (needs `domain` in the config). Label: `setMessages({ login: { provider } })`; icon: style
 *   `.provider[data-provider="Google"]` (nothing is fetched).
 * @attr hosted-ui - Also show "Continue with hosted sign-in" (Cognito's own page, no provider preselected).
 * @attr totp-issuer - The name authenticator apps list the account under when the pool asks for TOTP
 *   setup at sign-in (default: the page's host name).
 * @attr factors - Choice-based sign-in (`USER_AUTH`): the factors to offer, in the page's order of
 *   preference, from `passkey email-otp sms-otp password`. The username comes first; the first factor
 *   is asked for at once (PREFERRED_CHALLENGE), the others stay one click away. Without it, a config
 *   with `auth-flow="USER_AUTH"` offers what Cognito lists (SELECT_CHALLENGE); else the password form.
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
export class CognitoLogin extends LitElement {
  static override properties = {
    usernameAttribute: { attribute: "username-attribute" },
    signupHref: { attribute: "signup-href" },
    resetHref: { attribute: "reset-href" },
    totpIssuer: { attribute: "totp-issuer" },
    factors: {},
    providers: {},
    hostedUi: { attribute: "hosted-ui", type: Boolean },
    step: { state: true, attribute: false },
    notice: { state: true, attribute: false },
  };

  usernameAttribute: UsernameAttribute;
  signupHref: string | undefined;
  resetHref: string | undefined;
  totpIssuer: string | undefined;
  factors: string | undefined;
  providers: string | undefined;
  hostedUi = false;

  private step: Step = CREDENTIALS;
  /** A success to show above the form ("your password is changed"). */
  private notice: MessageOf | undefined;

  readonly #auth = new AuthController(this);
  readonly #form = new FormController(this);
  readonly #providers = new ProviderButtons(this);
  readonly #passwords = new PasswordFields(this);
  readonly #resendCode = new ResendCode(this);
  readonly #switch = new ViewSwitch(this, "sign-in");
  readonly #id = uniqueId("cognito-login");
  /** Kept between steps (confirm, then sign in) and dropped as soon as it has been used. */
  #username = "";
  #password = "";
  #lastStatus = "";
  /** The factors Cognito offered this sign-in (SELECT_CHALLENGE), in the page's order. */
  #offered: readonly LoginFactor[] = [];

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles("cognito-login", STYLES);
    this.addEventListener("cognito-password-reset", this.#onPasswordReset);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener("cognito-password-reset", this.#onPasswordReset);
    this.#password = "";
  }

  // The reset form shown in place succeeded: back to sign-in, saying so, with the username filled in.
  #onPasswordReset = (event: Event): void => {
    if (!this.#switch.view) return;
    this.#username = (event as CognitoPasswordResetEvent).detail.username;
    this.#switch.close();
    this.#restart();
    this.notice = (text) => text.login.passwordChanged;
  };

  protected override willUpdate(): void {
    const status = this.#auth.snapshot.status;
    // Signed out elsewhere (another element, another tab): start over.
    if (status === "signed-out" && this.#lastStatus === "signed-in") this.#restart();
    this.#lastStatus = status;
  }

  protected override render(): TemplateResult | typeof nothing {
    const configError = this.#auth.configError;
    if (configError) return configErrorView(configError);
    const snapshot = this.#auth.snapshot;
    if (snapshot.status === "loading" && this.step.name === "credentials") {
      return html`<p class="status" role="status">${messages().login.loading}</p>`;
    }
    if (this.#switch.view && snapshot.status !== "signed-in") return this.#switch.render(this.#usernameAttribute);
    if (snapshot.status === "signed-in" && this.step.name === "credentials") {
      return html`<p class="signed-in" role="status">${messages().login.signedInAs(snapshot.loginId)}</p>`;
    }
    switch (this.step.name) {
      case "credentials":
        return this.#credentials();
      case "new-password":
        return this.#newPassword(this.step.requiredAttributes);
      case "mfa":
        return this.#mfa(this.step.type, this.step.destination);
      case "select-mfa":
        return this.#selectMfa(this.step.options);
      case "mfa-setup":
        return this.#mfaSetup(this.step.secret);
      case "confirm":
        return this.#confirm();
      case "reset-required":
        return this.#resetRequired();
      case "choose":
        return this.#choose(this.step.factors);
      case "otp":
        return this.#otp(this.step.type, this.step.destination);
      case "passkey":
        return this.#passkey(this.step.failed);
      case "password":
        return this.#passwordStep();
    }
  }

  /** Whether sign-in goes through `USER_AUTH` with a choice of factors. */
  get #choiceMode(): boolean {
    return this.factors !== undefined || this.#auth.client?.config.authFlow === "USER_AUTH";
  }

  /** The `factors` attribute, known tokens only; no passkey where the browser has no WebAuthn. */
  get #wanted(): LoginFactor[] {
    const tokens = (this.factors ?? "").split(/\s+/).filter((token): token is LoginFactor => /^(passkey|email-otp|sms-otp|password)$/.test(token));
    const webauthn = typeof PublicKeyCredential !== "undefined";
    return [...new Set(tokens)].filter((factor) => factor !== "passkey" || webauthn);
  }

  /** Factors to switch to from `current`: what Cognito offered, else what the page asked for. */
  #otherWays(current: LoginFactor): TemplateResult {
    const text = messages();
    const others = (this.#offered.length ? this.#offered : this.#wanted).filter((factor) => factor !== current);
    return html`${others.length ? html`<p class="divider"><span>${text.login.otherWays}</span></p>` : nothing}
      ${others.map(
        (factor) => html`<button type="button" class="secondary" ?disabled=${this.#form.pending} @click=${() => this.#switchTo(factor)}>${text.login.factor(factor)}</button>`,
      )}
      <div class="links">
        <button type="button" class="link" @click=${this.#restart}>${text.confirm.back(this.#label(text, "username"))}</button>
      </div>`;
  }

  #choose(factors: readonly LoginFactor[]): TemplateResult {
    const text = messages();
    return html`<form novalidate @submit=${(event: SubmitEvent) => event.preventDefault()} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.login.chooseTitle}</h2>
      ${factors.length ? nothing : html`<p class="error">${text.errors.unsupported}</p>`}
      ${factors.map(
        (factor) => html`<button type="button" class="secondary" ?disabled=${this.#form.pending} @click=${() => this.#switchTo(factor)}>${text.login.factor(factor)}</button>`,
      )}
      ${errorRegion(`${this.#id}-error`, this.#form.problem)}
      <div class="links">
        <button type="button" class="link" @click=${this.#restart}>${text.confirm.back(this.#label(text, "username"))}</button>
      </div>
    </form>`;
  }

  #otp(type: OtpType, destination: string | undefined): TemplateResult {
    const text = messages();
    const errorId = `${this.#id}-error`;
    return html`<form novalidate @submit=${this.#sendOtp} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.login.mfaTitle}</h2>
      <p class="hint" id=${`${this.#id}-hint`}>${text.login.mfaHint(destination)}</p>
      ${this.#codeField(errorId)}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.login.submit, this.#form.pending)}
      ${this.#resendCode.render(this.#resendOtp, this.#form.pending)}
      ${this.#otherWays(type === "SMS_OTP" ? "sms-otp" : "email-otp")}
    </form>`;
  }

  #passkey(failed: boolean): TemplateResult {
    const text = messages();
    const problem = this.#form.problem;
    const message = !failed ? "" : ceremonyFailed(problem?.error) ? text.login.passkeyFailed : problemText(problem);
    return html`<form novalidate @submit=${(event: SubmitEvent) => event.preventDefault()} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.login.passkeyTitle}</h2>
      <p class="status" role="status">${this.#form.pending ? text.login.passkeyWaiting : nothing}</p>
      <p id=${`${this.#id}-error`} class="error" role="alert" aria-live="assertive">${message}</p>
      ${failed ? html`<button type="button" ?disabled=${this.#form.pending} @click=${this.#usePasskey}>${text.login.retry}</button>` : nothing}
      ${this.#otherWays("passkey")}
    </form>`;
  }

  #passwordStep(): TemplateResult {
    const text = messages();
    const errorId = `${this.#id}-error`;
    return html`<form novalidate @submit=${this.#answerWithPassword} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.login.passwordTitle}</h2>
      <input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#username} />
      ${this.#passwords.render({
        id: `${this.#id}-password`,
        name: "password",
        label: text.fields.password,
        autocomplete: "current-password",
        required: true,
        errorId,
        form: this.#form,
      })}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.login.submit, this.#form.pending)}
      <div class="links">${this.#link("reset-password", text.login.toReset, this.resetHref)}</div>
      ${this.#otherWays("password")}
    </form>`;
  }

  #credentials(): TemplateResult {
    const text = messages();
    const form = this.#form;
    const errorId = `${this.#id}-error`;
    const providers = this.#providers.render();
    const choice = this.#choiceMode;
    return html`<form novalidate @submit=${choice ? this.#identify : this.#signIn} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.login.title}</h2>
      ${this.notice ? html`<p class="success" role="status">${this.notice(text)}</p>` : nothing}
      ${field({
        id: `${this.#id}-username`,
        name: "username",
        label: this.#label(text, "username"),
        type: usernameField(text, this.#usernameAttribute).type,
        autocomplete: "username",
        required: true,
        errorId,
        form,
        value: this.#username,
      })}
      ${choice
        ? nothing
        : this.#passwords.render({
            id: `${this.#id}-password`,
            name: "password",
            label: text.fields.password,
            autocomplete: "current-password",
            required: true,
            errorId,
            form,
          })}
      ${errorRegion(errorId, form.problem)}
      ${submitButton(choice ? text.login.next : text.login.submit, form.pending)}
      <div class="links">
        ${this.#link("sign-up", text.login.toSignUp, this.signupHref)}
        ${this.#link("reset-password", text.login.toReset, this.resetHref)}
      </div>
      ${providers === nothing ? nothing : html`<p class="divider"><span>${text.login.or}</span></p>${providers}`}
    </form>`;
  }

  #newPassword(requiredAttributes: readonly string[]): TemplateResult {
    const text = messages();
    const form = this.#form;
    const errorId = `${this.#id}-error`;
    return html`<form novalidate @submit=${this.#completeNewPassword} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.login.newPasswordTitle}</h2>
      <p class="hint" id=${`${this.#id}-hint`}>${text.login.newPasswordHint}</p>
      <input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#username} />
      ${this.#passwords.render({
        id: `${this.#id}-new-password`,
        name: "new-password",
        label: text.fields.newPassword,
        autocomplete: "new-password",
        required: true,
        errorId,
        form,
        describedBy: `${this.#id}-hint`,
      })}
      ${requiredAttributes.map((name) =>
        field({ id: `${this.#id}-attr-${name.replaceAll(":", "-")}`, name: `attr:${name}`, label: this.#label(text, `attr:${name}`), required: true, errorId, form }),
      )}
      ${errorRegion(errorId, form.problem)}
      ${submitButton(text.login.newPasswordSubmit, form.pending)}
    </form>`;
  }

  #mfa(type: MfaType, destination: string | undefined): TemplateResult {
    const text = messages();
    const errorId = `${this.#id}-error`;
    return html`<form novalidate @submit=${this.#sendMfaCode} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.login.mfaTitle}</h2>
      <p class="hint" id=${`${this.#id}-hint`}>${type === "SMS_MFA" ? text.login.mfaHint(destination) : text.login.totpHint}</p>
      ${this.#codeField(errorId)}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.login.mfaSubmit, this.#form.pending)}
    </form>`;
  }

  #selectMfa(options: readonly MfaType[]): TemplateResult {
    const text = messages();
    const errorId = `${this.#id}-error`;
    return html`<form novalidate @submit=${(event: SubmitEvent) => event.preventDefault()} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.login.selectMfaTitle}</h2>
      ${options.map(
        (type) => html`<button type="button" class="secondary" ?disabled=${this.#form.pending} @click=${() => this.#chooseMfa(type)}>${text.login.mfaOption(type)}</button>`,
      )}
      ${errorRegion(errorId, this.#form.problem)}
    </form>`;
  }

  #mfaSetup(secret: string | undefined): TemplateResult {
    const text = messages();
    const errorId = `${this.#id}-error`;
    return html`<form novalidate @submit=${this.#verifyTotp} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.login.mfaSetupTitle}</h2>
      <p class="hint" id=${`${this.#id}-hint`}>${text.login.mfaSetupHint}</p>
      ${secret ? totpKey(this, this.totpIssuer || defaultIssuer(), this.#username, secret) : nothing}
      ${this.#codeField(errorId)}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.login.mfaSubmit, this.#form.pending)}
    </form>`;
  }

  #confirm(): TemplateResult {
    const text = messages();
    const errorId = `${this.#id}-error`;
    return html`<form novalidate @submit=${this.#confirmAccount} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.confirm.title}</h2>
      <p class="hint" id=${`${this.#id}-hint`}>${text.errors.user_not_confirmed}</p>
      ${this.#codeField(errorId)}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.confirm.submit, this.#form.pending)}
      ${this.#resendCode.render(this.#resend, this.#form.pending)}
      <div class="links">
        <button type="button" class="link" @click=${this.#restart}>${text.confirm.back(this.#label(text, "username"))}</button>
      </div>
    </form>`;
  }

  #resetRequired(): TemplateResult {
    const text = messages();
    return html`<div class="panel">
      <h2>${text.login.title}</h2>
      <p class="error" role="alert">${text.login.resetRequired}</p>
      <div class="links">${this.#link("reset-password", text.login.toReset, this.resetHref)}</div>
    </div>`;
  }

  #codeField(errorId: string): TemplateResult {
    return codeField({ id: `${this.#id}-code`, errorId, form: this.#form, describedBy: `${this.#id}-hint` });
  }

  #link(to: NavigateTarget, label: string, href: string | undefined): TemplateResult {
    const typed = () => this.querySelector<HTMLInputElement>('input[name="username"]')?.value.trim() || this.#username;
    return navigateLink(this, to, label, href, typed, (target, username) => this.#switch.open(target, username));
  }

  /** A field's label in `text`'s language: `username`, `password`, `new-password`, `code` or `attr:<name>`. */
  #label(text: Messages, name: string): string {
    const { fields } = text;
    if (name.startsWith("attr:")) return text.attributes[name.slice(5)] ?? name.slice(5);
    if (name === "username") return usernameField(text, this.#usernameAttribute).label;
    return name === "password" ? fields.password : name === "code" ? fields.code : fields.newPassword;
  }

  /** Checks every field at once; each problem shows under its field, the first gets focus. */
  #valid(form: HTMLFormElement, names: readonly string[]): boolean {
    const problems = validate(
      form,
      names.map((name) => ({
        name,
        label: (text: Messages) => this.#label(text, name),
        required: true,
        ...(name === "username" && formatOf(this.#usernameAttribute) ? { format: formatOf(this.#usernameAttribute)! } : {}),
      })),
    );
    if (problems.length) this.#form.invalidFields(problems);
    return problems.length === 0;
  }

  #signIn = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending || !this.#valid(form, ["username", "password"])) return;
    const username = formValue(form, "username").trim();
    const password = formValue(form, "password");
    this.#username = username;
    this.notice = undefined;
    const result = await this.#form.run(() => client.signIn(username, password), fieldFor);
    if (result) return this.#advance(result);
    this.#signInFailed(password);
  };

  /** Choice-based sign-in, step 1: the username; the page's first factor is asked for at once. */
  #identify = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending || !this.#valid(form, ["username"])) return;
    const username = formValue(form, "username").trim();
    this.#username = username;
    this.#offered = [];
    this.notice = undefined;
    const first = this.#wanted[0];
    // The password is asked for after SELECT_CHALLENGE, so that it is answered there (by SRP where offered).
    const preferred = first && first !== "password" ? COGNITO_FACTOR[first] : undefined;
    const result = await this.#form.run(() => client.startSignIn(username, preferred), fieldFor);
    if (result) return this.#advance(result);
    this.#signInFailed("");
  };

  #signInFailed(password: string): void {
    const code = this.#form.problem?.error?.code;
    if (code === "user_not_confirmed") {
      this.#password = password;
      this.#form.reset();
      this.#resendCode.started();
      this.step = { name: "confirm" };
    } else if (code === "password_reset_required") {
      this.#form.reset();
      this.step = { name: "reset-required" };
    } else {
      this.#failed();
    }
  }

  /** Another factor: the password form, or Cognito asked for that factor (a new sign-in if need be). */
  #switchTo = async (factor: LoginFactor): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    if (factor === "password") {
      this.#form.reset();
      this.step = { name: "password" };
      return;
    }
    const result = await this.#form.run(() => client.chooseFactor(COGNITO_FACTOR[factor]), fieldFor);
    if (result) this.#advance(result);
    else this.#failed();
  };

  #usePasskey = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    this.step = { name: "passkey", failed: false };
    const result = await this.#form.run(() => client.signInWithPasskey());
    if (result) return this.#advance(result);
    if (!this.#form.problem) return;
    this.step = { name: "passkey", failed: true };
    this.#failed();
  };

  /** A challenge step's submit: checks `names`, sends `answer` once, and moves to what Cognito asks next. */
  async #answer(event: SubmitEvent, names: readonly string[], answer: (client: AuthClient, form: HTMLFormElement) => Promise<SignInResult>): Promise<void> {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending || !this.#valid(form, names)) return;
    const result = await this.#form.run(() => answer(client, form), fieldFor);
    if (result) void this.#advance(result);
    else this.#failed();
  }

  #answerWithPassword = (event: SubmitEvent): Promise<void> =>
    this.#answer(event, ["password"], (client, form) => client.answerWithPassword(formValue(form, "password")));

  #sendOtp = (event: SubmitEvent): Promise<void> => {
    if (this.step.name !== "otp") return Promise.resolve(event.preventDefault());
    return this.#answer(event, ["code"], (client, form) => client.sendOtp(formValue(form, "code").trim()));
  };

  /** A new code starts the sign-in again with the same factor; the step stays, naming where it went. */
  #resendOtp = (): void => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    void this.#resendCode.send(async () => {
      const result = await this.#form.run(() => client.resendOtp());
      if (!result) {
        this.#failed();
        return undefined;
      }
      if (result.kind !== "otp") {
        void this.#advance(result);
        return undefined;
      }
      this.#form.reset();
      this.step = result.destination ? { name: "otp", type: result.type, destination: result.destination } : { name: "otp", type: result.type };
      return result.destination ? { destination: result.destination } : {};
    });
  };

  #completeNewPassword = (event: SubmitEvent): Promise<void> => {
    if (this.step.name !== "new-password") return Promise.resolve(event.preventDefault());
    const required = this.step.requiredAttributes;
    return this.#answer(event, ["new-password", ...required.map((name) => `attr:${name}`)], (client, form) =>
      client.completeNewPassword(formValue(form, "new-password"), Object.fromEntries(required.map((name) => [name, formValue(form, `attr:${name}`).trim()]))),
    );
  };

  #sendMfaCode = (event: SubmitEvent): Promise<void> => {
    if (this.step.name !== "mfa") return Promise.resolve(event.preventDefault());
    const type = this.step.type;
    return this.#answer(event, ["code"], (client, form) => client.sendMfaCode(formValue(form, "code").trim(), type));
  };

  #chooseMfa = async (type: MfaType): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    const result = await this.#form.run(() => client.selectMfa(type), fieldFor);
    if (result) this.#advance(result);
    else this.#failed();
  };

  #verifyTotp = (event: SubmitEvent): Promise<void> => this.#answer(event, ["code"], (client, form) => client.verifyTotp(formValue(form, "code").trim()));

  #confirmAccount = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending || !this.#valid(form, ["code"])) return;
    const username = this.#username;
    const code = formValue(form, "code").trim();
    if (this.#choiceMode && !this.#password) {
      // Choice-based sign-in: ConfirmSignUp's session signs the user in (no second code); without one, back to the start.
      const result = await this.#form.run(() => client.confirmAndSignIn(username, code).then((signedIn) => signedIn ?? false), fieldFor);
      if (result === undefined) return this.#failed();
      return result ? this.#advance(result) : this.#restart();
    }
    const confirmed = await this.#form.run(() => client.confirmSignUp(username, code).then(() => true), fieldFor);
    if (!confirmed) return this.#failed();
    const password = this.#password;
    this.#password = "";
    if (!password) return this.#restart();
    const result = await this.#form.run(() => client.signIn(username, password), fieldFor);
    if (result) this.#advance(result);
    else this.#failed();
  };

  #resend = (): void => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    const username = this.#username;
    void this.#resendCode.send(async () => {
      const delivery = await this.#form.run(() => client.resendCode(username));
      if (!delivery) this.#failed();
      return delivery;
    });
  };

  /** The compiler checks this switch covers every outcome AuthClient can report. */
  async #advance(result: SignInResult): Promise<void> {
    this.#form.reset();
    switch (result.kind) {
      case "signed-in":
        this.#password = "";
        this.#passwords.clear();
        clearForms(this);
        this.step = CREDENTIALS;
        this.dispatchEvent(new CognitoSignedInEvent(this.#signedIn()));
        return;
      case "new-password-required":
        this.step = { name: "new-password", requiredAttributes: result.requiredAttributes };
        return;
      case "mfa":
        this.step = result.destination ? { name: "mfa", type: result.type, destination: result.destination } : { name: "mfa", type: result.type };
        return;
      case "select-mfa":
        this.step = { name: "select-mfa", options: result.options };
        return;
      case "select-factor": {
        // A passkey is no choice where the browser has no WebAuthn; a page whose every factor is unusable gets Cognito's others.
        const webauthn = typeof PublicKeyCredential !== "undefined";
        const offered = [...new Set(result.factors.map(loginFactor))].filter((factor) => factor !== "passkey" || webauthn);
        const wanted = this.#wanted.filter((factor) => offered.includes(factor));
        this.#offered = wanted.length ? wanted : offered;
        // The page put the password first and the user has one: straight to it.
        if (this.#wanted[0] === "password" && this.#offered.includes("password") && this.step.name === "credentials") this.step = { name: "password" };
        else this.step = { name: "choose", factors: this.#offered };
        return;
      }
      case "otp":
        this.#resendCode.started();
        this.step = result.destination ? { name: "otp", type: result.type, destination: result.destination } : { name: "otp", type: result.type };
        return;
      case "passkey":
        return this.#usePasskey();
      case "mfa-setup": {
        this.step = { name: "mfa-setup" };
        const client = this.#auth.client;
        const setup = client ? await this.#form.run(() => client.setupTotp()) : undefined;
        if (setup) {
          this.#form.reset();
          this.step = { name: "mfa-setup", secret: setup.secret };
        } else this.#failed();
        return;
      }
    }
  }

  /** The element's own `username-attribute`, else the config's. */
  get #usernameAttribute(): UsernameAttribute {
    return this.usernameAttribute ?? this.#auth.client?.config.usernameAttribute;
  }

  #signedIn(): { username: string; loginId: string } {
    const snapshot = this.#auth.snapshot;
    return snapshot.status === "signed-in" ? { username: snapshot.username, loginId: snapshot.loginId } : { username: this.#username, loginId: this.#username };
  }

  #failed(): void {
    reportError(this, this.#form.problem);
  }

  #restart = (): void => {
    this.#password = "";
    this.#offered = [];
    this.#passwords.clear();
    this.#form.reset();
    this.step = CREDENTIALS;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-login": CognitoLogin;
  }
}
