/**
 * What `<cognito-profile>` shows and does, loaded when the first profile connects (issue 6: a
 * profile page waits on GetUser anyway, so one more fetch costs it little). The element itself
 * (cognito-profile.ts) holds the attributes; this view holds the forms' state and handlers.
 */
import { html, nothing, type TemplateResult } from "lit";
// For the bundler only (see lazy-view.ts): keeps the package's first load in one file.
import "../index.ts";
import type { MfaState } from "../auth/client.ts";
import type { AuthError } from "../auth/errors.ts";
import { messages, type Messages } from "../auth/messages.ts";
import type { AuthController } from "./auth-controller.ts";
import type { CognitoProfile } from "./cognito-profile.ts";
import { CognitoProfileUpdatedEvent, CognitoSignedOutEvent, type SignedOutDetail } from "./events.ts";
import { FormController, type FormProblem } from "./form-controller.ts";
import type { View } from "./lazy-view.ts";
import { configErrorView, errorRegion, field, formValue, reportError, submitButton, uniqueId } from "./parts.ts";
import { meetsPolicy, parsePolicy, passwordRules } from "./password-rules.ts";
import { adoptStyles } from "./styles.ts";
import { defaultIssuer, totpKey } from "./totp-setup.ts";

/** Attributes that carry a `<name>_verified` flag and need a code when changed. */
const VERIFIABLE = new Set(["email", "phone_number"]);
const TYPES: Readonly<Record<string, string>> = { email: "email", phone_number: "tel", website: "url", birthdate: "date" };

/** A status line, read at render time so it follows the element's locale. */
type Notice = ((text: Messages) => string) | undefined;

interface State {
  /** The attributes as Cognito last reported them (GetUser). */
  readonly values?: Readonly<Record<string, string>> | undefined;
  /** An attribute waiting for its verification code. */
  readonly verifying?: string | undefined;
  readonly notice?: Notice;
  readonly passwordNotice?: Notice;
  readonly confirmingDelete?: boolean;
  readonly typedPassword?: string;
  readonly mfa?: MfaState | undefined;
  /** Set while the user adds the key to an authenticator app. */
  readonly totpSecret?: string | undefined;
  readonly mfaNotice?: Notice;
}

const STYLES = `cognito-profile{display:grid;gap:var(--_space)} cognito-profile .actions{display:flex;flex-wrap:wrap;gap:var(--_space)} cognito-profile .danger{color:var(--_error)} cognito-profile button.danger{color:var(--_on-accent);background:var(--_error);border-color:var(--_error)}`;

export class ProfileView implements View {
  readonly #host: CognitoProfile;
  readonly #auth: AuthController;
  readonly #attributes: FormController;
  readonly #password: FormController;
  readonly #account: FormController;
  readonly #mfaForm: FormController;
  readonly #id = uniqueId("cognito-profile");
  #state: State = {};
  #loadedFor = "";

  constructor(host: CognitoProfile, auth: AuthController) {
    this.#host = host;
    this.#auth = auth;
    this.#attributes = new FormController(host, "form-state");
    this.#password = new FormController(host, "password-state");
    this.#account = new FormController(host, "account-state");
    this.#mfaForm = new FormController(host, "mfa-state");
  }

  /** The one way state changes: the element re-renders. */
  #set(patch: State): void {
    this.#state = { ...this.#state, ...patch };
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    adoptStyles("profile-view", STYLES);
  }

  hostUpdate(): void {
    const snapshot = this.#auth.snapshot;
    const who = snapshot.status === "signed-in" ? snapshot.username : "";
    if (who === this.#loadedFor) return;
    this.#loadedFor = who;
    // Rendering follows right away: no request needed.
    this.#state = {};
    if (who) {
      void this.#load();
      void this.#loadMfa();
    }
  }

  get #names(): string[] {
    return this.#host.fields.split(/\s+/).filter(Boolean);
  }

  async #load(): Promise<void> {
    const client = this.#auth.client;
    const values = client ? await this.#attributes.run(() => client.getAttributes()) : undefined;
    if (values) {
      this.#set({ values });
      this.#attributes.reset();
    }
  }

  #label(name: string): string {
    return messages().attributes[name] ?? name.replace(/^custom:/, "").replaceAll("_", " ");
  }

  render(): TemplateResult | typeof nothing {
    const configError = this.#auth.configError;
    if (configError) return configErrorView(configError);
    const snapshot = this.#auth.snapshot;
    const text = messages();
    if (snapshot.status === "loading") return html`<p class="status" role="status">${text.login.loading}</p>`;
    if (snapshot.status === "signed-out") return html`<p class="status" role="status">${text.profile.signedOut}</p>`;
    const { verifying, totpSecret } = this.#state;
    return html`${verifying ? this.#verifyForm(verifying) : this.#attributesForm(snapshot.username)} ${this.#passwordForm()} ${totpSecret ? this.#totpForm(totpSecret, snapshot.attributes["email"] ?? snapshot.username) : this.#mfaPanel()} ${this.#accountPanel()}`;
  }

  #attributesForm(username: string): TemplateResult {
    const text = messages();
    const problem = this.#attributes.problem;
    const errorId = `${this.#id}-error`;
    const values = this.#state.values;
    return html`<form novalidate @submit=${this.#save} aria-labelledby=${`${this.#id}-title`}><h2 id=${`${this.#id}-title`}>${text.profile.title}</h2><p class="username">${text.fields.username}: <span>${username}</span></p> ${values
        ? this.#names.map((name) => {
            const verified = values[`${name}_verified`];
            return field({
              id: `${this.#id}-${name.replaceAll(":", "-")}`,
              name,
              label: this.#label(name),
              type: TYPES[name] ?? "text",
              autocomplete: "off",
              errorId,
              problem,
              value: values[name] ?? "",
              ...(VERIFIABLE.has(name) && values[name] ? { labelSuffix: verified === "true" ? text.profile.verified : text.profile.unverified } : {}),
            });
          })
        : nothing} ${errorRegion(errorId, problem)} <p class="status" role="status">${this.#state.notice?.(messages())}</p> ${submitButton(text.profile.save, this.#attributes.pending || !values)} </form>`;
  }

  #verifyForm(name: string): TemplateResult {
    const text = messages();
    const problem = this.#attributes.problem;
    const errorId = `${this.#id}-error`;
    const label = this.#label(name);
    return html`<form novalidate @submit=${this.#verify} aria-labelledby=${`${this.#id}-title`}><h2 id=${`${this.#id}-title`}>${text.profile.verifyTitle(label)}</h2><p class="hint" id=${`${this.#id}-hint`}>${text.profile.verifyHint(label)}</p> ${field({ id: `${this.#id}-code`, name: "code", label: text.fields.code, autocomplete: "one-time-code", inputmode: "numeric", required: true, errorId, problem, describedBy: `${this.#id}-hint` })} ${errorRegion(errorId, problem)} <p class="status" role="status">${this.#state.notice?.(messages())}</p> ${submitButton(text.profile.verifySubmit, this.#attributes.pending)} <button type="button" class="link" ?disabled=${this.#attributes.pending} @click=${this.#resendAttributeCode}>${text.confirm.resend}</button><button type="button" class="secondary" @click=${() => this.#doneVerifying(undefined)}>${text.profile.cancel}</button></form>`;
  }

  #passwordForm(): TemplateResult {
    const text = messages();
    const problem = this.#password.problem;
    const errorId = `${this.#id}-password-error`;
    const rulesId = `${this.#id}-rules`;
    return html`<form novalidate @submit=${this.#changePassword} aria-labelledby=${`${this.#id}-password-title`}><h2 id=${`${this.#id}-password-title`}>${text.profile.passwordTitle}</h2><input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#loadedFor} /> ${field({ id: `${this.#id}-current-password`, name: "current-password", label: text.fields.currentPassword, type: "password", autocomplete: "current-password", required: true, errorId, problem })} ${field({
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
      })} ${passwordRules(rulesId, this.#policy, this.#state.typedPassword ?? "")} ${errorRegion(errorId, problem)} <p class="status" role="status">${this.#state.passwordNotice?.(messages())}</p> ${submitButton(text.profile.passwordSubmit, this.#password.pending)} </form>`;
  }

  #mfaPanel(): TemplateResult {
    const text = messages();
    const mfa = this.#state.mfa;
    const pending = this.#mfaForm.pending || !mfa;
    const on = (mfa?.enabled.length ?? 0) > 0;
    return html`<div class="panel"><h2 id=${`${this.#id}-mfa-title`}>${text.mfa.title}</h2><p class="mfa">${mfa ? (on ? `${text.mfa.on}: ${mfa.enabled.map(text.login.mfaOption).join(", ")}` : text.mfa.off) : ""}</p><p class="status" role="status">${this.#state.mfaNotice?.(messages())}</p><div class="actions"> ${mfa?.enabled.includes("SOFTWARE_TOKEN_MFA")
          ? nothing
          : html`<button type="button" class="secondary" ?disabled=${pending} @click=${this.#startTotp}>${text.mfa.setup}</button>`} ${on ? html`<button type="button" class="secondary" ?disabled=${pending} @click=${this.#disableMfa}>${text.mfa.turnOff}</button>` : nothing} </div> ${errorRegion(`${this.#id}-mfa-error`, this.#mfaForm.problem)} </div>`;
  }

  #totpForm(secret: string, account: string): TemplateResult {
    const text = messages();
    const problem = this.#mfaForm.problem;
    const errorId = `${this.#id}-mfa-error`;
    return html`<form novalidate @submit=${this.#enableTotp} aria-labelledby=${`${this.#id}-mfa-title`}><h2 id=${`${this.#id}-mfa-title`}>${text.login.mfaSetupTitle}</h2><p class="hint" id=${`${this.#id}-mfa-hint`}>${text.login.mfaSetupHint}</p> ${totpKey(this.#host, this.#host.totpIssuer || defaultIssuer(), account, secret)} ${field({ id: `${this.#id}-totp-code`, name: "totp-code", label: text.fields.code, autocomplete: "one-time-code", inputmode: "numeric", required: true, errorId, problem, describedBy: `${this.#id}-mfa-hint` })} ${errorRegion(errorId, problem)} ${submitButton(text.login.mfaSubmit, this.#mfaForm.pending)} <button type="button" class="secondary" @click=${() => this.#doneMfa(undefined)}>${text.profile.cancel}</button></form>`;
  }

  #accountPanel(): TemplateResult {
    const text = messages();
    const pending = this.#account.pending;
    return html`<div class="panel"><div class="actions"><button type="button" class="secondary" ?disabled=${pending} @click=${() => this.#signOut("sign-out")}>${text.signOut.button}</button><button type="button" class="secondary" ?disabled=${pending} @click=${() => this.#signOut("everywhere")}>${text.signOut.everywhere}</button></div><h2 id=${`${this.#id}-delete-title`}>${text.profile.deleteTitle}</h2> ${this.#state.confirmingDelete
        ? html`<p class="danger" id=${`${this.#id}-delete-warning`}>${text.profile.deleteWarning}</p><div class="actions"><button type="button" class="danger" ?disabled=${pending} aria-describedby=${`${this.#id}-delete-warning`} @click=${this.#delete}> ${text.profile.deleteConfirm} </button><button type="button" class="secondary" ?disabled=${pending} @click=${() => this.#set({ confirmingDelete: false })}>${text.profile.cancel}</button></div>`
        : html`<button type="button" class="secondary" @click=${() => this.#set({ confirmingDelete: true })}>${text.profile.deleteButton}</button>`} ${errorRegion(`${this.#id}-account-error`, this.#account.problem)} </div>`;
  }

  get #policy() {
    return parsePolicy(this.#host.passwordMinLength, this.#host.passwordRules);
  }

  #save = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    const before = this.#state.values;
    if (!client || !before || this.#attributes.pending) return;
    const changes: Record<string, string> = {};
    for (const name of this.#names) {
      const value = formValue(form, name).trim();
      if (value !== (before[name] ?? "")) changes[name] = value;
    }
    const changed = Object.keys(changes);
    if (changed.length === 0) return this.#set({ notice: (text) => text.profile.unchanged });
    const codeSent = await this.#attributes.run(() => client.updateAttributes(changes), () => undefined);
    if (!codeSent) return this.#failed(this.#attributes.problem);
    this.#set({ values: { ...before, ...changes }, notice: undefined });
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed }));
    // Cognito sends a code only for attributes the pool auto-verifies; others just save.
    const toVerify = changed.find((name) => VERIFIABLE.has(name) && codeSent.includes(name));
    if (toVerify) {
      this.#attributes.reset();
      this.#set({ verifying: toVerify });
    } else {
      this.#set({ notice: (text) => text.profile.saved });
      void this.#load();
    }
  };

  #resendAttributeCode = async (): Promise<void> => {
    const client = this.#auth.client;
    const name = this.#state.verifying;
    if (!client || !name || this.#attributes.pending) return;
    const ok = await this.#attributes.run(() => client.sendAttributeCode(name).then(() => true));
    if (ok) this.#set({ notice: (text) => text.confirm.resent(undefined) });
    else this.#failed(this.#attributes.problem);
  };

  #verify = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const name = this.#state.verifying;
    const code = formValue(event.currentTarget as HTMLFormElement, "code").trim();
    if (!client || !name || this.#attributes.pending) return;
    if (!code) return this.#attributes.invalid({ text: (text) => text.validation.required(text.fields.code), field: "code" });
    const ok = await this.#attributes.run(() => client.verifyAttribute(name, code).then(() => true), codeField);
    if (!ok) return this.#failed(this.#attributes.problem);
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed: [`${name}_verified`] }));
    this.#doneVerifying((text) => text.profile.saved);
  };

  #doneVerifying(notice: Notice): void {
    this.#attributes.reset();
    this.#set({ verifying: undefined, notice });
    void this.#load();
  }

  #loadMfa = async (): Promise<void> => {
    const client = this.#auth.client;
    const mfa = client ? await this.#mfaForm.run(() => client.getMfa()) : undefined;
    if (mfa) this.#set({ mfa });
  };

  #startTotp = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#mfaForm.pending) return;
    this.#set({ mfaNotice: undefined });
    const setup = await this.#mfaForm.run(() => client.associateTotp());
    if (!setup) return this.#failed(this.#mfaForm.problem);
    this.#mfaForm.reset();
    this.#set({ totpSecret: setup.secret });
  };

  #enableTotp = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const code = formValue(event.currentTarget as HTMLFormElement, "totp-code").trim();
    if (!client || this.#mfaForm.pending) return;
    if (!code) return this.#mfaForm.invalid({ text: (text) => text.validation.required(text.fields.code), field: "totp-code" });
    const ok = await this.#mfaForm.run(
      () => client.enableTotp(code).then(() => true),
      (error) => (codeField(error) ? "totp-code" : undefined),
    );
    if (!ok) return this.#failed(this.#mfaForm.problem);
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed: ["mfa"] }));
    this.#doneMfa((text) => text.mfa.enabled);
  };

  #disableMfa = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#mfaForm.pending) return;
    const ok = await this.#mfaForm.run(() => client.disableMfa().then(() => true));
    if (!ok) return this.#failed(this.#mfaForm.problem);
    this.#host.dispatchEvent(new CognitoProfileUpdatedEvent({ changed: ["mfa"] }));
    this.#doneMfa((text) => text.mfa.disabled);
  };

  #doneMfa(notice: Notice): void {
    this.#mfaForm.reset();
    this.#set({ totpSecret: undefined, mfaNotice: notice });
    void this.#loadMfa();
  }

  #changePassword = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const client = this.#auth.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client || this.#password.pending) return;
    const current = formValue(form, "current-password");
    const next = formValue(form, "new-password");
    if (!current) return this.#password.invalid({ text: (text) => text.validation.required(text.fields.currentPassword), field: "current-password" });
    if (!meetsPolicy(this.#policy, next)) return this.#password.invalid({ text: (text) => text.validation.passwordRules, field: "new-password" });
    this.#set({ passwordNotice: undefined });
    const ok = await this.#password.run(
      () => client.changePassword(current, next).then(() => true),
      (error) => (error.code === "invalid_credentials" ? "current-password" : undefined),
    );
    if (!ok) return this.#failed(this.#password.problem);
    form.reset();
    this.#set({ typedPassword: "", passwordNotice: (text) => text.profile.passwordChanged });
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

function codeField(error: AuthError): string | undefined {
  return error.code === "code_mismatch" || error.code === "code_expired" ? "code" : undefined;
}
