/**
 * `<cognito-login>` after its first step: whatever Cognito asks next (a new password, an MFA code
 * or type, TOTP setup), account confirmation, and the choice-based steps (Cognito's choices, a
 * one-time code, a passkey, the password). Loaded when a sign-in first needs it, as the forms of
 * lazy-view.ts are: a page whose users sign in with a password alone never loads it.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import type { AuthClient, MfaType, OtpType, SignInResult } from "../auth/client.ts";
import { messages, type Messages } from "../i18n/messages.ts";
import type { AuthController } from "./auth-controller.ts";
import { passkeyProblem } from "./ceremony.ts";
import type { NavigateTarget } from "./events.ts";
import type { FormController } from "./form-controller.ts";
import { reactive } from "./lazy-view.ts";
import { codeField, errorRegion, field, formValue, reportError, submitButton } from "./parts.ts";
import type { PasswordFields } from "./password-field.ts";
import { ResendCode } from "./resend-code.ts";
import { COGNITO_FACTOR, fieldFor, loginFactor, type LoginFactor } from "./sign-in-parts.ts";
import { defaultIssuer, totpKey } from "./totp-setup.ts";

type Step =
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

/** What the steps share with the element's first step. */
export interface LoginFlow {
  readonly host: ReactiveControllerHost & HTMLElement & { readonly resetHref: string | undefined; readonly totpIssuer: string | undefined };
  readonly auth: AuthController;
  readonly form: FormController;
  readonly passwords: PasswordFields;
  readonly id: string;
  /** The username the first step sent. */
  username(): string;
  /** The page's factors, in its order (the `factors` attribute). */
  wanted(): readonly LoginFactor[];
  /** Whether sign-in goes through `USER_AUTH` with a choice of factors. */
  choiceMode(): boolean;
  label(text: Messages, name: string): string;
  link(to: NavigateTarget, label: string, href: string | undefined): TemplateResult;
  /** Checks every field of `names` at once; each problem shows under its field. */
  valid(form: HTMLFormElement, names: readonly string[]): boolean;
  /** Signed in: clear everything and say so. */
  signedIn(): void;
  /** Back to the first step. */
  restart(): void;
}

export class LoginSteps implements ReactiveController {
  /** The step shown; undefined while the element shows its first one. */
  step: Step | undefined;

  readonly #flow: LoginFlow;
  readonly #form: FormController;
  readonly #resendCode: ResendCode;
  /** Kept to sign in after confirming the account, and dropped as soon as it has been used. */
  #password = "";
  /** The factors Cognito offered this sign-in (SELECT_CHALLENGE), in the page's order. */
  #offered: readonly LoginFactor[] = [];

  constructor(flow: LoginFlow) {
    this.#flow = flow;
    this.#form = flow.form;
    this.#resendCode = new ResendCode(flow.host);
    flow.host.addController(this);
    reactive(this, flow.host, ["step"]);
  }

  hostDisconnected(): void {
    this.#password = "";
  }

  /** Forgets this sign-in: the element shows its first step. */
  reset(): void {
    this.#password = "";
    this.#offered = [];
    this.step = undefined;
  }

  /** The account is not confirmed: ask for the code, then sign in with `password` (if any). */
  confirm(password: string): void {
    this.#password = password;
    this.#form.reset();
    this.#resendCode.started();
    this.step = { name: "confirm" };
  }

  resetRequired(): void {
    this.#form.reset();
    this.step = { name: "reset-required" };
  }

  render(): TemplateResult | typeof nothing {
    switch (this.step?.name) {
      case undefined:
        return nothing;
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

  /** The compiler checks this switch covers every outcome AuthClient can report. */
  async advance(result: SignInResult): Promise<void> {
    this.#form.reset();
    switch (result.kind) {
      case "signed-in":
        this.#password = "";
        return this.#flow.signedIn();
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
        const wanted = this.#flow.wanted().filter((factor) => offered.includes(factor));
        this.#offered = wanted.length ? wanted : offered;
        // The page put the password first and the user has one: straight to it.
        if (this.#flow.wanted()[0] === "password" && this.#offered.includes("password") && this.step === undefined) this.step = { name: "password" };
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
        const client = this.#flow.auth.client;
        const setup = client ? await this.#form.run(() => client.setupTotp()) : undefined;
        if (setup) {
          this.#form.reset();
          this.step = { name: "mfa-setup", secret: setup.secret };
        } else this.#failed();
        return;
      }
    }
  }

  /** Factors to switch to from `current`: what Cognito offered, else what the page asked for. */
  #otherWays(current: LoginFactor): TemplateResult {
    const text = messages();
    const others = (this.#offered.length ? this.#offered : this.#flow.wanted()).filter((factor) => factor !== current);
    return html`${others.length ? html`<p class="divider"><span>${text.login.otherWays}</span></p>` : nothing}
      ${others.map(
        (factor) => html`<button type="button" class="secondary" ?disabled=${this.#form.pending} @click=${() => this.#switchTo(factor)}>${text.login.factor(factor)}</button>`,
      )}
      ${this.#back(text)}`;
  }

  #back(text: Messages): TemplateResult {
    return html`<div class="links">
      <button type="button" class="link" @click=${this.#flow.restart}>${text.confirm.back(this.#flow.label(text, "username"))}</button>
    </div>`;
  }

  #title(text: string): TemplateResult {
    return html`<h2 id=${`${this.#flow.id}-title`}>${text}</h2>`;
  }

  #choose(factors: readonly LoginFactor[]): TemplateResult {
    const text = messages();
    return html`<form novalidate @submit=${(event: SubmitEvent) => event.preventDefault()} aria-labelledby=${`${this.#flow.id}-title`}>
      ${this.#title(text.login.chooseTitle)}
      ${factors.length ? nothing : html`<p class="error">${text.errors.unsupported}</p>`}
      ${factors.map(
        (factor) => html`<button type="button" class="secondary" ?disabled=${this.#form.pending} @click=${() => this.#switchTo(factor)}>${text.login.factor(factor)}</button>`,
      )}
      ${errorRegion(`${this.#flow.id}-error`, this.#form.problem)}
      ${this.#back(text)}
    </form>`;
  }

  #otp(type: OtpType, destination: string | undefined): TemplateResult {
    const text = messages();
    const errorId = `${this.#flow.id}-error`;
    return html`<form novalidate @submit=${this.#sendOtp} aria-labelledby=${`${this.#flow.id}-title`}>
      ${this.#title(text.login.mfaTitle)}
      <p class="hint" id=${`${this.#flow.id}-hint`}>${text.login.mfaHint(destination)}</p>
      ${this.#codeField(errorId)}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.login.submit, this.#form.pending)}
      ${this.#resendCode.render(this.#resendOtp, this.#form.pending)}
      ${this.#otherWays(type === "SMS_OTP" ? "sms-otp" : "email-otp")}
    </form>`;
  }

  #passkey(failed: boolean): TemplateResult {
    const text = messages();
    return html`<form novalidate @submit=${(event: SubmitEvent) => event.preventDefault()} aria-labelledby=${`${this.#flow.id}-title`}>
      ${this.#title(text.login.passkeyTitle)}
      <p class="status" role="status">${this.#form.pending ? text.login.passkeyWaiting : nothing}</p>
      ${errorRegion(`${this.#flow.id}-error`, failed ? passkeyProblem(this.#form.problem, (text) => text.login.passkeyFailed) : undefined)}
      ${failed ? html`<button type="button" ?disabled=${this.#form.pending} @click=${this.#usePasskey}>${text.login.retry}</button>` : nothing}
      ${this.#otherWays("passkey")}
    </form>`;
  }

  #passwordStep(): TemplateResult {
    const text = messages();
    const errorId = `${this.#flow.id}-error`;
    return html`<form novalidate @submit=${this.#answerWithPassword} aria-labelledby=${`${this.#flow.id}-title`}>
      ${this.#title(text.login.passwordTitle)}
      <input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#flow.username()} />
      ${this.#flow.passwords.render({
        id: `${this.#flow.id}-password`,
        name: "password",
        label: text.fields.password,
        autocomplete: "current-password",
        required: true,
        errorId,
        form: this.#form,
      })}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.login.submit, this.#form.pending)}
      <div class="links">${this.#flow.link("reset-password", text.login.toReset, this.#flow.host.resetHref)}</div>
      ${this.#otherWays("password")}
    </form>`;
  }

  #newPassword(requiredAttributes: readonly string[]): TemplateResult {
    const text = messages();
    const form = this.#form;
    const id = this.#flow.id;
    const errorId = `${id}-error`;
    return html`<form novalidate @submit=${this.#completeNewPassword} aria-labelledby=${`${id}-title`}>
      ${this.#title(text.login.newPasswordTitle)}
      <p class="hint" id=${`${id}-hint`}>${text.login.newPasswordHint}</p>
      <input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#flow.username()} />
      ${this.#flow.passwords.newPassword({
        id: `${id}-new-password`,
        errorId,
        form,
        describedBy: `${id}-hint`,
      })}
      ${requiredAttributes.map((name) =>
        field({ id: `${id}-attr-${name.replaceAll(":", "-")}`, name: `attr:${name}`, label: this.#flow.label(text, `attr:${name}`), required: true, errorId, form }),
      )}
      ${errorRegion(errorId, form.problem)}
      ${submitButton(text.login.newPasswordSubmit, form.pending)}
    </form>`;
  }

  #mfa(type: MfaType, destination: string | undefined): TemplateResult {
    const text = messages();
    const errorId = `${this.#flow.id}-error`;
    return html`<form novalidate @submit=${this.#sendMfaCode} aria-labelledby=${`${this.#flow.id}-title`}>
      ${this.#title(text.login.mfaTitle)}
      <p class="hint" id=${`${this.#flow.id}-hint`}>${type === "SMS_MFA" ? text.login.mfaHint(destination) : text.login.totpHint}</p>
      ${this.#codeField(errorId)}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.login.mfaSubmit, this.#form.pending)}
    </form>`;
  }

  #selectMfa(options: readonly MfaType[]): TemplateResult {
    const text = messages();
    return html`<form novalidate @submit=${(event: SubmitEvent) => event.preventDefault()} aria-labelledby=${`${this.#flow.id}-title`}>
      ${this.#title(text.login.selectMfaTitle)}
      ${options.map(
        (type) => html`<button type="button" class="secondary" ?disabled=${this.#form.pending} @click=${() => this.#chooseMfa(type)}>${text.login.mfaOption(type)}</button>`,
      )}
      ${errorRegion(`${this.#flow.id}-error`, this.#form.problem)}
    </form>`;
  }

  #mfaSetup(secret: string | undefined): TemplateResult {
    const text = messages();
    const host = this.#flow.host;
    const errorId = `${this.#flow.id}-error`;
    return html`<form novalidate @submit=${this.#verifyTotp} aria-labelledby=${`${this.#flow.id}-title`}>
      ${this.#title(text.login.mfaSetupTitle)}
      <p class="hint" id=${`${this.#flow.id}-hint`}>${text.login.mfaSetupHint}</p>
      ${secret ? totpKey(host, host.totpIssuer || defaultIssuer(), this.#flow.username(), secret) : nothing}
      ${this.#codeField(errorId)}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.login.mfaSubmit, this.#form.pending)}
    </form>`;
  }

  #confirm(): TemplateResult {
    const text = messages();
    const errorId = `${this.#flow.id}-error`;
    return html`<form novalidate @submit=${this.#confirmAccount} aria-labelledby=${`${this.#flow.id}-title`}>
      ${this.#title(text.confirm.title)}
      <p class="hint" id=${`${this.#flow.id}-hint`}>${text.errors.user_not_confirmed}</p>
      ${this.#codeField(errorId)}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.confirm.submit, this.#form.pending)}
      ${this.#resendCode.render(this.#resend, this.#form.pending)}
      ${this.#back(text)}
    </form>`;
  }

  #resetRequired(): TemplateResult {
    const text = messages();
    return html`<div class="panel">
      <h2>${text.login.title}</h2>
      <p class="error" role="alert">${text.login.resetRequired}</p>
      <div class="links">${this.#flow.link("reset-password", text.login.toReset, this.#flow.host.resetHref)}</div>
    </div>`;
  }

  #codeField(errorId: string): TemplateResult {
    return codeField({ id: `${this.#flow.id}-code`, errorId, form: this.#form, describedBy: `${this.#flow.id}-hint` });
  }

  /** Another factor: the password form, or Cognito asked for that factor (a new sign-in if need be). */
  #switchTo = async (factor: LoginFactor): Promise<void> => {
    const client = this.#flow.auth.client;
    if (!client || this.#form.pending) return;
    if (factor === "password") {
      this.#form.reset();
      this.step = { name: "password" };
      return;
    }
    const result = await this.#form.run(() => client.chooseFactor(COGNITO_FACTOR[factor]), fieldFor);
    if (result) void this.advance(result);
    else this.#failed();
  };

  #usePasskey = async (): Promise<void> => {
    const client = this.#flow.auth.client;
    if (!client || this.#form.pending) return;
    this.step = { name: "passkey", failed: false };
    const result = await this.#form.run(() => client.signInWithPasskey());
    if (result) return this.advance(result);
    if (!this.#form.problem) return;
    this.step = { name: "passkey", failed: true };
    this.#failed();
  };

  /** A step's submit: checks `names`, sends `answer` once, and moves to what Cognito asks next. */
  async #answer(event: SubmitEvent, names: readonly string[], answer: (client: AuthClient, form: HTMLFormElement) => Promise<SignInResult>): Promise<void> {
    event.preventDefault();
    const client = this.#flow.auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending || !this.#flow.valid(form, names)) return;
    const result = await this.#form.run(() => answer(client, form), fieldFor);
    if (result) void this.advance(result);
    else this.#failed();
  }

  #answerWithPassword = (event: SubmitEvent): Promise<void> =>
    this.#answer(event, ["password"], (client, form) => client.answerWithPassword(formValue(form, "password")));

  #sendOtp = (event: SubmitEvent): Promise<void> => {
    if (this.step?.name !== "otp") return Promise.resolve(event.preventDefault());
    return this.#answer(event, ["code"], (client, form) => client.sendOtp(formValue(form, "code").trim()));
  };

  /** A new code starts the sign-in again with the same factor; the step stays, naming where it went. */
  #resendOtp = (): void => {
    const client = this.#flow.auth.client;
    if (!client || this.#form.pending) return;
    void this.#resendCode.send(async () => {
      const result = await this.#form.run(() => client.resendOtp());
      if (!result) {
        this.#failed();
        return undefined;
      }
      if (result.kind !== "otp") {
        void this.advance(result);
        return undefined;
      }
      this.#form.reset();
      this.step = result.destination ? { name: "otp", type: result.type, destination: result.destination } : { name: "otp", type: result.type };
      return result.destination ? { destination: result.destination } : {};
    });
  };

  #completeNewPassword = (event: SubmitEvent): Promise<void> => {
    if (this.step?.name !== "new-password") return Promise.resolve(event.preventDefault());
    const required = this.step.requiredAttributes;
    return this.#answer(event, ["new-password", ...required.map((name) => `attr:${name}`)], (client, form) =>
      client.completeNewPassword(formValue(form, "new-password"), Object.fromEntries(required.map((name) => [name, formValue(form, `attr:${name}`).trim()]))),
    );
  };

  #sendMfaCode = (event: SubmitEvent): Promise<void> => {
    if (this.step?.name !== "mfa") return Promise.resolve(event.preventDefault());
    const type = this.step.type;
    return this.#answer(event, ["code"], (client, form) => client.sendMfaCode(formValue(form, "code").trim(), type));
  };

  #chooseMfa = async (type: MfaType): Promise<void> => {
    const client = this.#flow.auth.client;
    if (!client || this.#form.pending) return;
    const result = await this.#form.run(() => client.selectMfa(type), fieldFor);
    if (result) void this.advance(result);
    else this.#failed();
  };

  #verifyTotp = (event: SubmitEvent): Promise<void> => this.#answer(event, ["code"], (client, form) => client.verifyTotp(formValue(form, "code").trim()));

  #confirmAccount = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#flow.auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#form.pending || !this.#flow.valid(form, ["code"])) return;
    const username = this.#flow.username();
    const code = formValue(form, "code").trim();
    if (this.#flow.choiceMode() && !this.#password) {
      // Choice-based sign-in: ConfirmSignUp's session signs the user in (no second code); without one, back to the start.
      const result = await this.#form.run(() => client.confirmAndSignIn(username, code).then((signedIn) => signedIn ?? false), fieldFor);
      if (result === undefined) return this.#failed();
      return result ? this.advance(result) : this.#flow.restart();
    }
    const confirmed = await this.#form.run(() => client.confirmSignUp(username, code).then(() => true), fieldFor);
    if (!confirmed) return this.#failed();
    const password = this.#password;
    this.#password = "";
    if (!password) return this.#flow.restart();
    const result = await this.#form.run(() => client.signIn(username, password), fieldFor);
    if (result) void this.advance(result);
    else this.#failed();
  };

  #resend = (): void => {
    const client = this.#flow.auth.client;
    if (!client || this.#form.pending) return;
    const username = this.#flow.username();
    void this.#resendCode.send(async () => {
      const delivery = await this.#form.run(() => client.resendCode(username));
      if (!delivery) this.#failed();
      return delivery;
    });
  };

  #failed(): void {
    reportError(this.#flow.host, this.#form.problem);
  }
}
