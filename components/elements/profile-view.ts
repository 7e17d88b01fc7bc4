import { html, nothing, type PropertyValues, type TemplateResult } from "lit";
import type { MfaState } from "../auth/client.ts";
import { toAuthError, type AuthError } from "../auth/errors.ts";
import { messages, type Messages } from "../i18n/messages.ts";
import type { AuthController } from "./auth-controller.ts";
import type { CognitoProfile } from "./cognito-profile.ts";
import { CognitoProfileUpdatedEvent, CognitoSignedOutEvent, type SignedOutDetail } from "./events.ts";
import { FormController, type FormProblem } from "./form-controller.ts";
import { attributeLabel, codeField, configErrorView, errorRegion, field, formValue, reportError, submitButton, uniqueId } from "./parts.ts";
import { PasskeyPanel } from "./passkey-panel.ts";
import { PasswordFields } from "./password-field.ts";
import { parsePolicy } from "./password-rules.ts";
import { formatOf, validate } from "./validation.ts";
import { reactive } from "./lazy-view.ts";
import { defaultIssuer, totpKey } from "./totp-setup.ts";

/** Attributes that carry a `<name>_verified` flag and need a code when changed. */
const VERIFIABLE = new Set(["email", "phone_number"]);
const TYPES: Readonly<Record<string, string>> = { email: "email", phone_number: "tel", website: "url", birthdate: "date" };

/** A status line, read at render time so it follows the element's locale. */
type Notice = ((text: Messages) => string) | undefined;

/** `<cognito-profile>`'s forms, state and handlers, loaded on its first render (lazy-view.ts). */
export class ProfileView {
  /** The attributes as Cognito last reported them (GetUser). */
  values: Readonly<Record<string, string>> | undefined;
  /** An attribute waiting for its verification code. */
  verifying: string | undefined;
  notice: Notice;
  passwordNotice: Notice;
  confirmingDelete = false;
  confirmingMfaOff = false;
  mfa: MfaState | undefined;
  /** Set while the user adds the key to an authenticator app. */
  totpSecret: string | undefined;
  mfaNotice: Notice;
  /**
   * Why reading the MFA state failed. That read runs in the background, not through #mfaForm:
   * a form's focus handling is for requests the user started, and a read ending while Save was
   * disabled would send focus to the first field.
   */
  mfaLoadError: AuthError | undefined;

  readonly #host: CognitoProfile;
  readonly #auth: AuthController;
  readonly #attributes: FormController;
  readonly #password: FormController;
  readonly #account: FormController;
  readonly #mfaForm: FormController;
  readonly #passwords: PasswordFields;
  readonly #id = uniqueId("cognito-profile");
  readonly #passkeyPanel: PasskeyPanel;
  #loadedFor = "";

  constructor(host: CognitoProfile, auth: AuthController) {
    this.#host = host;
    this.#auth = auth;
    this.#attributes = new FormController(host, "form-state");
    this.#password = new FormController(host, "password-state");
    this.#account = new FormController(host, "account-state");
    this.#mfaForm = new FormController(host, "mfa-state");
    this.#passwords = new PasswordFields(host);
    this.#passkeyPanel = new PasskeyPanel(host, () => this.#auth.client, this.#id);
    reactive(this, host, ["values", "verifying", "notice", "passwordNotice", "confirmingDelete", "confirmingMfaOff", "mfa", "totpSecret", "mfaNotice", "mfaLoadError"]);
  }

  willUpdate(changed: PropertyValues<CognitoProfile>): void {
    const snapshot = this.#auth.snapshot;
    const who = snapshot.status === "signed-in" ? snapshot.username : "";
    // `passkeys` turned on for a user already shown: load their passkeys now.
    if (changed.has("passkeys") && who && who === this.#loadedFor) void this.#passkeyPanel.reset(this.#passkeysShown);
    if (who === this.#loadedFor) return;
    this.#loadedFor = who;
    this.values = undefined;
    this.verifying = undefined;
    this.confirmingDelete = this.confirmingMfaOff = false;
    this.notice = this.passwordNotice = this.mfaNotice = undefined;
    this.mfa = this.totpSecret = this.mfaLoadError = undefined;
    void this.#passkeyPanel.reset(Boolean(who) && this.#passkeysShown);
    if (who) {
      void this.#load();
      void this.#loadMfa();
    }
  }

  get #passkeysShown(): boolean {
    return this.#host.passkeys || this.#auth.client?.config.authFlow === "USER_AUTH";
  }

  get #names(): string[] {
    return this.#host.fields.split(/\s+/).filter(Boolean);
  }

  async #load(): Promise<void> {
    const client = this.#auth.client;
    const values = client ? await this.#attributes.run(() => client.getAttributes()) : undefined;
    if (values) {
      this.values = values;
      this.#attributes.reset();
    }
  }

  #label(name: string): string {
    return attributeLabel(messages(), name);
  }

  render(): TemplateResult | typeof nothing {
    const configError = this.#auth.configError;
    if (configError) return configErrorView(configError);
    const snapshot = this.#auth.snapshot;
    const text = messages();
    if (snapshot.status === "loading") return html`<p class="status" role="status">${text.login.loading}</p>`;
    if (snapshot.status === "signed-out") return html`<p class="status" role="status">${text.profile.signedOut}</p>`;
    const passkeys = this.#passkeysShown ? this.#passkeyPanel.render() : nothing;
    const password = this.#passkeyPanel.passwordless ? nothing : this.#passwordForm();
    return html`${this.verifying ? this.#verifyForm(this.verifying) : this.#attributesForm(snapshot.username)} ${password} ${passkeys} ${this.totpSecret ? this.#totpForm(this.totpSecret, snapshot.attributes["email"] ?? snapshot.username) : this.#mfaPanel()} ${this.#accountPanel()}`;
  }

  #attributesForm(username: string): TemplateResult {
    const text = messages();
    const form = this.#attributes;
    const errorId = `${this.#id}-error`;
    const values = this.values;
    return html`<form novalidate @submit=${this.#save} @input=${this.#edited} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.profile.title}</h2>
      <p class="username">${text.fields.username}: <span>${username}</span></p>
      ${values
        ? this.#names.map((name) => {
            const verified = values[`${name}_verified`];
            return field({
              id: `${this.#id}-${name.replaceAll(":", "-")}`,
              name,
              label: this.#label(name),
              type: TYPES[name] ?? "text",
              autocomplete: "off",
              errorId,
              form,
              value: values[name] ?? "",
              ...(VERIFIABLE.has(name) && values[name] ? { labelSuffix: verified === "true" ? text.profile.verified : text.profile.unverified } : {}),
            });
          })
        : nothing}
      ${errorRegion(errorId, form.problem)}
      <p class="status" role="status">${this.notice?.(messages())}</p>
      ${submitButton(text.profile.save, form.pending || !values)}
    </form>`;
  }

  #verifyForm(name: string): TemplateResult {
    const text = messages();
    const form = this.#attributes;
    const errorId = `${this.#id}-error`;
    const label = this.#label(name);
    return html`<form novalidate @submit=${this.#verify} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.profile.verifyTitle(label)}</h2>
      <p class="hint" id=${`${this.#id}-hint`}>${text.profile.verifyHint(label)}</p>
      ${codeField({ id: `${this.#id}-code`, errorId, form, describedBy: `${this.#id}-hint` })}
      ${errorRegion(errorId, form.problem)}
      <p class="status" role="status">${this.notice?.(messages())}</p>
      ${submitButton(text.profile.verifySubmit, form.pending)}
      <button type="button" class="link" ?disabled=${form.pending} @click=${this.#resendAttributeCode}>${text.confirm.resend}</button>
      <button type="button" class="secondary" @click=${() => this.#doneVerifying((text) => text.profile.pending(label))}>${text.profile.cancel}</button>
    </form>`;
  }

  #passwordForm(): TemplateResult {
    const text = messages();
    const form = this.#password;
    const errorId = `${this.#id}-password-error`;
    return html`<form novalidate @submit=${this.#changePassword} aria-labelledby=${`${this.#id}-password-title`}>
      <h2 id=${`${this.#id}-password-title`}>${text.profile.passwordTitle}</h2>
      <input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#loadedFor} />
      ${this.#passwords.render({ id: `${this.#id}-current-password`, name: "current-password", label: text.fields.currentPassword, autocomplete: "current-password", required: true, errorId, form })}
      ${this.#passwords.newPassword({
        id: `${this.#id}-new-password`,
        errorId,
        form,
        policy: this.#policy,
      })}
      ${errorRegion(errorId, form.problem)}
      <p class="status" role="status">${this.passwordNotice?.(messages())}</p>
      ${submitButton(text.profile.passwordSubmit, form.pending)}
    </form>`;
  }

  #mfaPanel(): TemplateResult {
    const text = messages();
    const mfa = this.mfa;
    const pending = this.#mfaForm.pending || !mfa;
    const on = (mfa?.enabled.length ?? 0) > 0;
    const state = mfa ? (on ? `${text.mfa.on}: ${mfa.enabled.map(text.login.mfaOption).join(", ")}` : text.mfa.off) : "";
    return html`<div class="panel">
      <h2 id=${`${this.#id}-mfa-title`}>${text.mfa.title}</h2>
      <p class="mfa">${state}</p>
      <p class="status" role="status">${this.mfaNotice?.(messages())}</p>
      <div class="actions">
        ${mfa?.enabled.includes("SOFTWARE_TOKEN_MFA")
          ? nothing
          : html`<button type="button" class="secondary" ?disabled=${pending} @click=${this.#startTotp}>${text.mfa.setup}</button>`}
        ${on && !this.confirmingMfaOff
          ? html`<button type="button" class="secondary" ?disabled=${pending} @click=${() => (this.confirmingMfaOff = true)}>${text.mfa.turnOff}</button>`
          : nothing}
      </div>
      ${this.confirmingMfaOff
        ? html`<p id=${`${this.#id}-mfa-warning`}>${text.mfa.turnOffConfirm}</p>
            <div class="actions">
              <button type="button" class="danger" ?disabled=${pending} aria-describedby=${`${this.#id}-mfa-warning`} @click=${this.#disableMfa}>${text.mfa.turnOffYes}</button>
              <button type="button" class="secondary" ?disabled=${pending} @click=${() => (this.confirmingMfaOff = false)}>${text.profile.cancel}</button>
            </div>`
        : nothing}
      ${errorRegion(`${this.#id}-mfa-error`, this.#mfaForm.problem ?? (this.mfaLoadError ? { error: this.mfaLoadError } : undefined))}
    </div>`;
  }

  #totpForm(secret: string, account: string): TemplateResult {
    const text = messages();
    const errorId = `${this.#id}-mfa-error`;
    return html`<form novalidate @submit=${this.#enableTotp} aria-labelledby=${`${this.#id}-mfa-title`}>
      <h2 id=${`${this.#id}-mfa-title`}>${text.login.mfaSetupTitle}</h2>
      <p class="hint" id=${`${this.#id}-mfa-hint`}>${text.login.mfaSetupHint}</p>
      ${totpKey(this.#host, this.#host.totpIssuer || defaultIssuer(), account, secret)}
      ${codeField({ id: `${this.#id}-totp-code`, name: "totp-code", errorId, form: this.#mfaForm, describedBy: `${this.#id}-mfa-hint` })}
      ${errorRegion(errorId, this.#mfaForm.problem)}
      ${submitButton(text.login.mfaSubmit, this.#mfaForm.pending)}
      <button type="button" class="secondary" @click=${() => this.#doneMfa(undefined)}>${text.profile.cancel}</button>
    </form>`;
  }

  #accountPanel(): TemplateResult {
    const text = messages();
    const pending = this.#account.pending;
    return html`<div class="panel">
      <div class="actions">
        <button type="button" class="secondary" ?disabled=${pending} @click=${() => this.#signOut("sign-out")}>${text.signOut.button}</button>
        <button type="button" class="secondary" ?disabled=${pending} @click=${() => this.#signOut("everywhere")}>${text.signOut.everywhere}</button>
      </div>
      <h2 id=${`${this.#id}-delete-title`}>${text.profile.deleteTitle}</h2>
      ${this.confirmingDelete
        ? html`<p class="danger" id=${`${this.#id}-delete-warning`}>${text.profile.deleteWarning}</p>
            <div class="actions">
              <button type="button" class="danger" ?disabled=${pending} aria-describedby=${`${this.#id}-delete-warning`} @click=${this.#delete}>${text.profile.deleteConfirm}</button>
              <button type="button" class="secondary" ?disabled=${pending} @click=${() => (this.confirmingDelete = false)}>${text.profile.cancel}</button>
            </div>`
        : html`<div class="actions">
            <button type="button" class="secondary" @click=${() => (this.confirmingDelete = true)}>${text.profile.deleteButton}</button>
          </div>`}
      ${errorRegion(`${this.#id}-account-error`, this.#account.problem)}
    </div>`;
  }

  get #policy() {
    return parsePolicy(this.#host.passwordMinLength, this.#host.passwordRules);
  }

  #save = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    const before = this.values;
    if (!client || !before || this.#attributes.pending) return;
    this.#clearNotices();
    const problems = validate(
      form,
      this.#names.flatMap((name) => {
        const format = formatOf(name);
        return format ? [{ name, label: () => this.#label(name), format }] : [];
      }),
    );
    if (problems.length) return this.#attributes.invalidFields(problems);
    const changes: Record<string, string> = {};
    for (const name of this.#names) {
      const value = formValue(form, name).trim();
      if (value !== (before[name] ?? "")) changes[name] = value;
    }
    const changed = Object.keys(changes);
    if (changed.length === 0) {
      this.notice = (text) => text.profile.unchanged;
      return;
    }
    const codeSent = await this.#attributes.run(() => client.updateAttributes(changes), () => undefined);
    if (!codeSent) return this.#failed(this.#attributes.problem);
    this.values = { ...before, ...changes };
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed }));
    this.notice = undefined;
    // Cognito sends a code only for attributes the pool auto-verifies; others just save.
    const toVerify = changed.find((name) => VERIFIABLE.has(name) && codeSent.includes(name));
    if (toVerify) {
      this.#attributes.reset();
      this.verifying = toVerify;
    } else {
      this.notice = (text) => text.profile.saved;
      // Reload once Save is enabled and focused again: a reload started before would find focus
      // nowhere (Save was disabled) and send it to the first field.
      await this.#host.updateComplete;
      void this.#load();
    }
  };

  #resendAttributeCode = async (): Promise<void> => {
    const client = this.#auth.client;
    const name = this.verifying;
    if (!client || !name || this.#attributes.pending) return;
    const ok = await this.#attributes.run(() => client.sendAttributeCode(name).then(() => true));
    if (ok) this.notice = (text) => text.confirm.resent(undefined);
    else this.#failed(this.#attributes.problem);
  };

  #verify = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const name = this.verifying;
    const code = formValue(event.currentTarget as HTMLFormElement, "code").trim();
    if (!client || !name || this.#attributes.pending) return;
    if (!code) return this.#attributes.invalid({ text: (text) => text.validation.required(text.fields.code), field: "code" });
    const ok = await this.#attributes.run(() => client.verifyAttribute(name, code).then(() => true), codeProblemField);
    if (!ok) return this.#failed(this.#attributes.problem);
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed: [`${name}_verified`] }));
    this.#doneVerifying((text) => text.profile.saved);
  };

  /** An edit in the attributes form: an old "saved" is not about it. */
  #edited = (): void => {
    this.notice = undefined;
  };

  /** Every status line goes when the user starts something new. */
  #clearNotices(): void {
    this.notice = this.passwordNotice = this.mfaNotice = undefined;
  }

  #doneVerifying(notice: Notice): void {
    this.verifying = undefined;
    this.#attributes.reset();
    this.notice = notice;
    void this.#load();
  }

  #loadMfa = async (): Promise<void> => {
    const client = this.#auth.client;
    const who = this.#loadedFor;
    if (!client) return;
    try {
      const mfa = await client.getMfa();
      if (who === this.#loadedFor) [this.mfa, this.mfaLoadError] = [mfa, undefined];
    } catch (caught) {
      if (who === this.#loadedFor) this.mfaLoadError = toAuthError(caught);
    }
  };

  #startTotp = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#mfaForm.pending) return;
    this.#clearNotices();
    const setup = await this.#mfaForm.run(() => client.associateTotp());
    if (!setup) return this.#failed(this.#mfaForm.problem);
    this.#mfaForm.reset();
    this.totpSecret = setup.secret;
  };

  #enableTotp = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const code = formValue(event.currentTarget as HTMLFormElement, "totp-code").trim();
    if (!client || this.#mfaForm.pending) return;
    if (!code) return this.#mfaForm.invalid({ text: (text) => text.validation.required(text.fields.code), field: "totp-code" });
    const ok = await this.#mfaForm.run(
      () => client.enableTotp(code).then(() => true),
      (error) => (codeProblemField(error) ? "totp-code" : undefined),
    );
    if (!ok) return this.#failed(this.#mfaForm.problem);
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed: ["mfa"] }));
    this.#doneMfa((text) => text.mfa.enabled);
  };

  #disableMfa = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#mfaForm.pending) return;
    const ok = await this.#mfaForm.run(() => client.disableMfa().then(() => true));
    this.confirmingMfaOff = false;
    if (!ok) return this.#failed(this.#mfaForm.problem);
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed: ["mfa"] }));
    this.#doneMfa((text) => text.mfa.disabled);
  };

  #doneMfa(notice: Notice): void {
    this.totpSecret = undefined;
    this.#mfaForm.reset();
    this.mfaNotice = notice;
    void this.#loadMfa();
  }

  #changePassword = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#password.pending) return;
    this.#clearNotices();
    const problems = validate(form, [
      { name: "current-password", label: (text) => text.fields.currentPassword, required: true, secret: true },
      { name: "new-password", label: (text) => text.fields.newPassword, required: true, policy: this.#policy },
    ]);
    if (problems.length) return this.#password.invalidFields(problems);
    const current = formValue(form, "current-password");
    const next = formValue(form, "new-password");
    const ok = await this.#password.run(() => client.changePassword(current, next).then(() => true));
    if (!ok) {
      const problem = this.#password.problem;
      this.#failed(problem);
      // Not "incorrect username or password": the user is signed in, only this field can be wrong.
      if (problem?.error?.code === "invalid_credentials") this.#password.invalid({ field: "current-password", text: (text) => text.profile.wrongCurrentPassword });
      return;
    }
    form.reset();
    this.#passwords.clear();
    this.passwordNotice = (text) => text.profile.passwordChanged;
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed: ["password"] }));
  };

  #signOut = async (reason: SignedOutDetail["reason"]): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#account.pending) return;
    const ok = await this.#account.run(() => (reason === "everywhere" ? client.signOutEverywhere() : client.signOut()).then(() => true));
    if (ok) this.#host.dispatchEvent(new CognitoSignedOutEvent({ reason }));
    else this.#failed(this.#account.problem);
  };

  #delete = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#account.pending) return;
    const ok = await this.#account.run(() => client.deleteAccount().then(() => true));
    if (ok) this.#host.dispatchEvent(new CognitoSignedOutEvent({ reason: "account-deleted" }));
    else this.#failed(this.#account.problem);
  };

  #failed(problem: FormProblem | undefined): void {
    reportError(this.#host, problem);
  }
}

function codeProblemField(error: AuthError): string | undefined {
  return error.code === "code_mismatch" || error.code === "code_expired" ? "code" : undefined;
}

