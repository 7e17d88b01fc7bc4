/**
 * What `<cognito-signup>` shows and does, loaded when the first sign-up form connects (issue 6:
 * most visits are sign-ins). The element itself (cognito-signup.ts) holds the attributes; this view
 * holds the steps' state and handlers.
 */
import { html, nothing, type TemplateResult } from "lit";
// For the bundler only (see lazy-view.ts): keeps the package's first load in one file.
import "../index.ts";
import type { AuthError } from "../auth/errors.ts";
import { messages } from "../auth/messages.ts";
import type { AuthController } from "./auth-controller.ts";
import type { CognitoSignup } from "./cognito-signup.ts";
import { CognitoConfirmedEvent, CognitoSignedInEvent, CognitoSignedUpEvent } from "./events.ts";
import { FormController } from "./form-controller.ts";
import type { View } from "./lazy-view.ts";
import { clearForms, configErrorView, errorRegion, field, formValue, navigateLink, reportError, submitButton, uniqueId } from "./parts.ts";
import { meetsPolicy, parsePolicy, passwordRules } from "./password-rules.ts";

type Step = "form" | "confirm" | "done";

interface State {
  readonly step: Step;
  readonly destination?: string | undefined;
  readonly resent?: boolean;
  /** Only the rule results are rendered, never this. */
  readonly typedPassword?: string;
}

const START: State = { step: "form" };

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

export class SignupView implements View {
  readonly #host: CognitoSignup;
  readonly #auth: AuthController;
  readonly #form: FormController;
  readonly #id = uniqueId("cognito-signup");
  #state: State = START;
  #username = "";
  /** Held for sign-in-after-confirm after confirmation, then dropped. */
  #password = "";
  #lastStatus = "";

  constructor(host: CognitoSignup, auth: AuthController) {
    this.#host = host;
    this.#auth = auth;
    this.#form = new FormController(host);
  }

  /** The one way state changes: the element re-renders. */
  #set(patch: Partial<State>): void {
    this.#state = { ...this.#state, ...patch };
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#password = "";
  }

  hostUpdate(): void {
    const status = this.#auth.snapshot.status;
    if (status === "signed-out" && this.#lastStatus === "signed-in" && this.#state.step === "done") this.#restart();
    this.#lastStatus = status;
  }

  get #attributeNames(): string[] {
    const names = words(this.#host.fields);
    const usernameAttribute = this.#host.usernameAttribute;
    if (usernameAttribute && !names.includes(usernameAttribute)) names.unshift(usernameAttribute);
    return names;
  }

  get #required(): Set<string> {
    const requiredFields = this.#host.requiredFields;
    return new Set(requiredFields === undefined ? this.#attributeNames : words(requiredFields));
  }

  get #policy() {
    return parsePolicy(this.#host.passwordMinLength, this.#host.passwordRules);
  }

  render(): TemplateResult | typeof nothing {
    const configError = this.#auth.configError;
    if (configError) return configErrorView(configError);
    const snapshot = this.#auth.snapshot;
    const step = this.#state.step;
    if (snapshot.status === "signed-in" && step !== "confirm") {
      return html`<p class="signed-in" role="status">${messages().login.signedInAs(snapshot.username)}</p>`;
    }
    switch (step) {
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
    const usernameAttribute = this.#host.usernameAttribute;
    return html`<form novalidate @submit=${this.#signUp} aria-labelledby=${`${this.#id}-title`}><h2 id=${`${this.#id}-title`}>${text.signup.title}</h2> ${usernameAttribute
        ? nothing
        : field({ id: this.#fieldId("username"), name: "username", label: text.fields.username, autocomplete: "username", required: true, errorId, problem })} ${this.#attributeNames.map((name) => {
        const input = INPUTS[name] ?? { type: "text", autocomplete: "off" };
        const isUsername = name === usernameAttribute;
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
        onInput: (event) => this.#set({ typedPassword: (event.target as HTMLInputElement).value }),
      })} ${passwordRules(rulesId, this.#policy, this.#state.typedPassword ?? "")} ${errorRegion(errorId, problem)} ${submitButton(text.signup.submit, this.#form.pending)} <div class="links">${this.#signInLink()}</div></form>`;
  }

  #confirmForm(): TemplateResult {
    const text = messages();
    const problem = this.#form.problem;
    const errorId = `${this.#id}-error`;
    const { destination, resent } = this.#state;
    return html`<form novalidate @submit=${this.#confirm} aria-labelledby=${`${this.#id}-title`}><h2 id=${`${this.#id}-title`}>${text.confirm.title}</h2><p class="hint" id=${`${this.#id}-hint`}>${text.confirm.hint(destination)}</p><input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#username} /> ${field({
        id: this.#fieldId("code"),
        name: "code",
        label: text.fields.code,
        autocomplete: "one-time-code",
        inputmode: "numeric",
        required: true,
        errorId,
        problem,
        describedBy: `${this.#id}-hint`,
      })} ${errorRegion(errorId, problem)} <p class="status" role="status">${resent ? text.confirm.resent(destination) : ""}</p> ${submitButton(text.confirm.submit, this.#form.pending)} <button type="button" class="secondary" ?disabled=${this.#form.pending} @click=${this.#resend}>${text.confirm.resend}</button></form>`;
  }

  #done(): TemplateResult {
    const text = messages();
    return html`<div class="panel"><p class="status" role="status">${text.signup.confirmed}</p><div class="links">${this.#signInLink()}</div></div>`;
  }

  #signInLink(): TemplateResult {
    return navigateLink(this.#host, "sign-in", messages().signup.toSignIn, this.#host.signinHref, () => this.#username);
  }

  #fieldFor = (error: AuthError): string | undefined => {
    switch (error.code) {
      case "username_exists":
        return this.#host.usernameAttribute ?? "username";
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
    const usernameField = this.#host.usernameAttribute ?? "username";
    const mustFill = [usernameField, ...this.#attributeNames.filter((name) => this.#required.has(name)), "password"];
    const missing = mustFill.find((name) => formValue(form, name).trim() === "");
    if (missing) return this.#form.invalid({ text: (text) => text.validation.required(this.#label(missing)), field: missing });
    const password = formValue(form, "password");
    if (!meetsPolicy(this.#policy, password)) {
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
    this.#password = this.#host.signInAfterConfirm ? password : "";
    this.#set({ destination: result.destination });
    this.#host.dispatchEvent(new CognitoSignedUpEvent({ username, userConfirmed: result.userConfirmed, ...(result.destination ? { destination: result.destination } : {}) }));
    if (result.userConfirmed) return this.#confirmed();
    this.#form.reset();
    this.#set({ step: "confirm" });
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
    this.#host.dispatchEvent(new CognitoConfirmedEvent({ username }));
    await this.#confirmed();
  };

  async #confirmed(): Promise<void> {
    const client = this.#auth.client;
    const password = this.#password;
    this.#password = "";
    clearForms(this.#host);
    this.#set({ typedPassword: "" });
    if (!this.#host.signInAfterConfirm || !client || !password) {
      this.#form.reset();
      this.#set({ step: "done" });
      return;
    }
    const username = this.#username;
    const result = await this.#form.run(() => client.signIn(username, password));
    this.#set({ step: "done" });
    if (result?.kind === "signed-in") this.#host.dispatchEvent(new CognitoSignedInEvent({ username }));
    else if (!result) this.#failed();
  }

  #resend = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    const username = this.#username;
    const delivery = await this.#form.run(() => client.resendCode(username));
    if (!delivery) return this.#failed();
    this.#set({ resent: true, ...(delivery.destination ? { destination: delivery.destination } : {}) });
  };

  #failed(): void {
    reportError(this.#host, this.#form.problem);
  }

  #restart(): void {
    this.#password = "";
    this.#username = "";
    this.#form.reset();
    // Rendering follows right away (hostUpdate): no request needed.
    this.#state = START;
  }
}
