import { html, LitElement, nothing, type TemplateResult } from "lit";
import type { SignInResult } from "../auth/client.ts";
import { messages, type Messages } from "../i18n/messages.ts";
import { AuthController } from "./auth-controller.ts";
import { CognitoSignedInEvent, type CognitoPasswordResetEvent, type NavigateTarget } from "./events.ts";
import { FormController, type MessageOf } from "./form-controller.ts";
import { attributeLabel, clearForms, configErrorView, errorRegion, field, formValue, navigateLink, reportError, submitButton, uniqueId, usernameField, type UsernameAttribute } from "./parts.ts";
import type { LoginSteps } from "./login-steps.ts";
import { PasswordFields } from "./password-field.ts";
import { ProviderButtons } from "./provider-buttons.ts";
import { COGNITO_FACTOR, fieldFor, wantedFactors, type LoginFactor } from "./sign-in-parts.ts";
import { ViewSwitch } from "./view-switch.ts";
import { formatOf, validate } from "./validation.ts";
import { adoptStyles } from "./styles.ts";

const STYLES = `cognito-login .signed-in{padding:var(--_space) 0}`;

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
    notice: { state: true, attribute: false },
  };

  usernameAttribute: UsernameAttribute;
  signupHref: string | undefined;
  resetHref: string | undefined;
  totpIssuer: string | undefined;
  factors: string | undefined;
  providers: string | undefined;
  hostedUi = false;

  /** A success to show above the form ("your password is changed"). */
  private notice: MessageOf | undefined;

  readonly #auth = new AuthController(this);
  readonly #form = new FormController(this);
  readonly #providers = new ProviderButtons(this);
  readonly #passwords = new PasswordFields(this);
  readonly #switch = new ViewSwitch(this, "sign-in");
  readonly #id = uniqueId("cognito-login");
  /** The steps after the first (login-steps.ts), loaded when a sign-in first needs one. */
  #steps: LoginSteps | undefined;
  #loadingSteps: Promise<LoginSteps> | undefined;
  /** Kept between steps (confirm, then sign in). */
  #username = "";
  #lastStatus = "";

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
    const steps = this.#steps?.step ? this.#steps : undefined;
    if (snapshot.status === "loading" && !steps) {
      return html`<p class="status" role="status">${messages().login.loading}</p>`;
    }
    if (this.#switch.view && snapshot.status !== "signed-in") return this.#switch.render(this.#usernameAttribute);
    if (snapshot.status === "signed-in" && !steps) {
      return html`<p class="signed-in" role="status">${messages().login.signedInAs(snapshot.loginId)}</p>`;
    }
    return steps ? steps.render() : this.#credentials();
  }

  /** Whether sign-in goes through `USER_AUTH` with a choice of factors. */
  get #choiceMode(): boolean {
    return this.factors !== undefined || this.#auth.client?.config.authFlow === "USER_AUTH";
  }

  get #wanted(): LoginFactor[] {
    return wantedFactors(this.factors);
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

  #link(to: NavigateTarget, label: string, href: string | undefined): TemplateResult {
    const typed = () => this.querySelector<HTMLInputElement>('input[name="username"]')?.value.trim() || this.#username;
    return navigateLink(this, to, label, href, typed, (target, username) => this.#switch.open(target, username));
  }

  /** A field's label in `text`'s language: `username`, `password`, `new-password`, `code` or `attr:<name>`. */
  #label(text: Messages, name: string): string {
    const { fields } = text;
    if (name.startsWith("attr:")) return attributeLabel(text, name.slice(5));
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
        secret: name.endsWith("password"),
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
    const result = await this.#form.run(() => this.#withSteps(client.signIn(username, password)), fieldFor);
    if (result) return this.#advance(result);
    await this.#signInFailed(password);
  };

  /** Choice-based sign-in, step 1: the username; the page's first factor is asked for at once. */
  #identify = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending || !this.#valid(form, ["username"])) return;
    const username = formValue(form, "username").trim();
    this.#username = username;
    this.notice = undefined;
    const first = this.#wanted[0];
    // The password is asked for after SELECT_CHALLENGE, so that it is answered there (by SRP where offered).
    const preferred = first && first !== "password" ? COGNITO_FACTOR[first] : undefined;
    const result = await this.#form.run(() => this.#withSteps(client.startSignIn(username, preferred)), fieldFor);
    if (result) return this.#advance(result);
    await this.#signInFailed("");
  };

  /** `signingIn`'s result, once the steps it leads to are loaded (a failed load fails the request). */
  async #withSteps(signingIn: Promise<SignInResult>): Promise<SignInResult> {
    const result = await signingIn;
    if (result.kind !== "signed-in") await this.#loadSteps();
    return result;
  }

  #loadSteps(): Promise<LoginSteps> {
    this.#loadingSteps ??= import("./login-steps.ts").then(
      ({ LoginSteps }) =>
        (this.#steps = new LoginSteps({
          host: this,
          auth: this.#auth,
          form: this.#form,
          passwords: this.#passwords,
          id: this.#id,
          username: () => this.#username,
          wanted: () => this.#wanted,
          choiceMode: () => this.#choiceMode,
          label: (text, name) => this.#label(text, name),
          link: (to, label, href) => this.#link(to, label, href),
          valid: (form, names) => this.#valid(form, names),
          signedIn: () => this.#signedIn(),
          restart: this.#restart,
        })),
      (error: unknown) => {
        this.#loadingSteps = undefined;
        throw error;
      },
    );
    return this.#loadingSteps;
  }

  async #signInFailed(password: string): Promise<void> {
    const code = this.#form.problem?.error?.code;
    if (code !== "user_not_confirmed" && code !== "password_reset_required") return this.#failed();
    const steps = await this.#form.run(() => this.#loadSteps());
    if (!steps) return this.#failed();
    if (code === "user_not_confirmed") steps.confirm(password);
    else steps.resetRequired();
  }

  #advance(result: SignInResult): void {
    if (this.#steps) void this.#steps.advance(result);
    else this.#signedIn();
  }

  #signedIn(): void {
    this.#passwords.clear();
    clearForms(this);
    this.#steps?.reset();
    this.#form.reset();
    this.dispatchEvent(new CognitoSignedInEvent(this.#auth.signedIn(this.#username)));
  }

  /** The element's own `username-attribute`, else the config's. */
  get #usernameAttribute(): UsernameAttribute {
    return this.#auth.usernameAttribute(this.usernameAttribute);
  }

  #failed(): void {
    reportError(this, this.#form.problem);
  }

  #restart = (): void => {
    this.#steps?.reset();
    this.#passwords.clear();
    this.#form.reset();
    this.requestUpdate();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-login": CognitoLogin;
  }
}
