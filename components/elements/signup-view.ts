import { html, nothing, type ReactiveController, type TemplateResult } from "lit";
import type { AuthError } from "../auth/errors.ts";
import { messages } from "../i18n/messages.ts";
import type { AuthController } from "./auth-controller.ts";
import type { CognitoSignup } from "./cognito-signup.ts";
import { CognitoConfirmedEvent, CognitoSignedInEvent, CognitoSignedUpEvent } from "./events.ts";
import { FormController } from "./form-controller.ts";
import {
  attributeLabel,
  clearForms,
  configErrorView,
  errorRegion,
  field,
  codeField,
  formValue,
  navigateLink,
  reportError,
  submitButton,
  uniqueId,
  usernameField,
  type UsernameAttribute,
} from "./parts.ts";
import { passkeyProblem } from "./ceremony.ts";
import { PasswordFields } from "./password-field.ts";
import { parsePolicy } from "./password-rules.ts";
import { ResendCode } from "./resend-code.ts";
import { formatOf, validate, type FieldRule } from "./validation.ts";
import { ViewSwitch } from "./view-switch.ts";
import { reactive } from "./lazy-view.ts";

type Step = "form" | "confirm" | "done" | "passkey";


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

/** `<cognito-signup>`'s forms, state and handlers, loaded on its first render (lazy-view.ts). */
export class SignupView implements ReactiveController {
  step: Step = "form";
  destination: string | undefined;

  readonly #host: CognitoSignup;
  readonly #auth: AuthController;
  readonly #form: FormController;
  readonly #passwords: PasswordFields;
  readonly #resendCode: ResendCode;
  readonly #switch: ViewSwitch;
  readonly #id = uniqueId("cognito-signup");
  #username = "";
  /** What was submitted (never the password), to fill the form again after "Change email". */
  #values: Record<string, string> = {};
  /** Held for sign-in-after-confirm after confirmation, then dropped. */
  #password = "";
  #lastStatus = "";

  constructor(host: CognitoSignup, auth: AuthController) {
    this.#host = host;
    this.#auth = auth;
    this.#form = new FormController(host);
    this.#passwords = new PasswordFields(host);
    this.#resendCode = new ResendCode(host);
    this.#switch = new ViewSwitch(host, "sign-up");
    host.addController(this);
    reactive(this, host, ["step", "destination"]);
  }

  hostDisconnected(): void {
    this.#password = "";
  }

  willUpdate(): void {
    const status = this.#auth.snapshot.status;
    if (status === "signed-out" && this.#lastStatus === "signed-in" && this.step === "done") this.#restart();
    this.#lastStatus = status;
  }

  /** The element's own `username-attribute`, else the config's. */
  get #usernameAttribute(): UsernameAttribute {
    return this.#auth.usernameAttribute(this.#host.usernameAttribute);
  }

  get #attributeNames(): string[] {
    const names = words(this.#host.fields);
    const signInWith = this.#usernameAttribute;
    if (signInWith && !names.includes(signInWith)) names.unshift(signInWith);
    return names;
  }

  get #required(): Set<string> {
    return new Set(this.#host.requiredFields === undefined ? this.#attributeNames : words(this.#host.requiredFields));
  }

  render(): TemplateResult | typeof nothing {
    const configError = this.#auth.configError;
    if (configError) return configErrorView(configError);
    const snapshot = this.#auth.snapshot;
    if (this.#switch.view && snapshot.status !== "signed-in") return this.#switch.render(this.#usernameAttribute);
    if (snapshot.status === "signed-in" && this.step !== "confirm" && this.step !== "passkey") {
      return html`<p class="signed-in" role="status">${messages().login.signedInAs(snapshot.loginId)}</p>`;
    }
    switch (this.step) {
      case "form":
        return this.#signUpForm();
      case "confirm":
        return this.#confirmForm();
      case "done":
        return this.#done();
      case "passkey":
        return this.#passkeyOffer();
    }
  }

  #fieldId(name: string): string {
    return `${this.#id}-${name.replaceAll(":", "-")}`;
  }

  #label(name: string): string {
    const text = messages();
    if (name === "username") return text.fields.username;
    if (name === "password") return text.fields.password;
    return attributeLabel(text, name);
  }

  #signUpForm(): TemplateResult {
    const text = messages();
    const form = this.#form;
    const errorId = `${this.#id}-error`;
    const required = this.#required;
    const signInWith = this.#usernameAttribute;
    return html`<form novalidate @submit=${this.#signUp} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.signup.title}</h2>
      ${signInWith
        ? nothing
        : field({ id: this.#fieldId("username"), name: "username", label: text.fields.username, autocomplete: "username", required: true, errorId, form, value: this.#values["username"] ?? "" })}
      ${this.#attributeNames.map((name) => {
        const input = INPUTS[name] ?? { type: "text", autocomplete: "off" };
        const isUsername = name === signInWith;
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
          form,
          value: this.#values[name] ?? "",
          ...(isRequired ? {} : { labelSuffix: text.signup.optional }),
        });
      })}
      ${this.#host.passwordless
        ? nothing
        : this.#passwords.render({
            id: this.#fieldId("password"),
            name: "password",
            label: text.fields.password,
            autocomplete: "new-password",
            required: true,
            errorId,
            form,
            policy: this.#policy,
          })}
      ${errorRegion(errorId, form.problem)}
      ${submitButton(text.signup.submit, form.pending)}
      <div class="links">${this.#signInLink()}</div>
    </form>`;
  }

  /** After a passwordless sign-up and sign-in: add a passkey now, or not. */
  #passkeyOffer(): TemplateResult {
    const text = messages();
    return html`<div class="panel">
      <h2 id=${`${this.#id}-title`}>${text.passkeys.add}</h2>
      <p>${text.signup.passkeyPrompt}</p>
      ${errorRegion(`${this.#id}-error`, passkeyProblem(this.#form.problem, (text) => text.passkeys.failed))}
      <div class="actions">
        <button type="button" ?disabled=${this.#form.pending} aria-busy=${this.#form.pending ? "true" : "false"} @click=${this.#addPasskey}>${text.passkeys.add}</button>
        <button type="button" class="secondary" ?disabled=${this.#form.pending} @click=${this.#finish}>${text.signup.later}</button>
      </div>
    </div>`;
  }

  #addPasskey = async (): Promise<void> => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    const added = await this.#form.run(() => client.addPasskey().then(() => true));
    if (added) this.#finish();
    else this.#failed();
  };

  #finish = (): void => {
    this.#form.reset();
    this.step = "done";
  };

  #confirmForm(): TemplateResult {
    const text = messages();
    const errorId = `${this.#id}-error`;
    const signInWith = usernameField(text, this.#usernameAttribute).label;
    return html`<form novalidate @submit=${this.#confirm} aria-labelledby=${`${this.#id}-title`}>
      <h2 id=${`${this.#id}-title`}>${text.confirm.title}</h2>
      <p class="hint" id=${`${this.#id}-hint`}>${text.confirm.hint(this.destination)}</p>
      <input type="text" name="username" autocomplete="username" hidden readonly .value=${this.#username} />
      ${codeField({ id: this.#fieldId("code"), errorId, form: this.#form, describedBy: `${this.#id}-hint` })}
      ${errorRegion(errorId, this.#form.problem)}
      ${submitButton(text.confirm.submit, this.#form.pending)}
      ${this.#resendCode.render(this.#resend, this.#form.pending)}
      <div class="links">
        <button type="button" class="link" @click=${this.#changeUsername}>${text.confirm.back(signInWith)}</button>
      </div>
    </form>`;
  }

  #done(): TemplateResult {
    const text = messages();
    return html`<div class="panel">
      <p class="status" role="status">${text.signup.confirmed}</p>
      <div class="links">${this.#signInLink()}</div>
    </div>`;
  }

  get #policy() {
    return parsePolicy(this.#host.passwordMinLength, this.#host.passwordRules);
  }

  #signInLink(): TemplateResult {
    return navigateLink(this.#host, "sign-in", messages().signup.toSignIn, this.#host.signinHref, () => this.#username, (to) => this.#switch.open(to));
  }

  #fieldFor = (error: AuthError): string | undefined => {
    switch (error.code) {
      case "username_exists":
        return this.#usernameAttribute ?? "username";
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
    const usernameField = this.#usernameAttribute ?? "username";
    const required = this.#required;
    const rules: FieldRule[] = [
      ...(this.#usernameAttribute ? [] : [{ name: "username", label: () => this.#label("username"), required: true }]),
      ...this.#attributeNames.map((name) => {
        const format = formatOf(name);
        return { name, label: () => this.#label(name), required: name === usernameField || required.has(name), ...(format ? { format } : {}) };
      }),
      ...(this.#host.passwordless ? [] : [{ name: "password", label: () => this.#label("password"), required: true, policy: this.#policy }]),
    ];
    const problems = validate(form, rules);
    if (problems.length) return this.#form.invalidFields(problems);
    const password = formValue(form, "password");
    const username = formValue(form, usernameField).trim();
    const attributes: Record<string, string> = {};
    for (const name of this.#attributeNames) {
      const value = formValue(form, name).trim();
      if (value !== "") attributes[name] = value;
    }
    this.#values = { username, ...attributes };
    const result = await this.#form.run(
      () => (this.#host.passwordless ? client.signUpPasswordless(username, attributes) : client.signUp({ username, password, attributes })),
      this.#fieldFor,
    );
    if (!result) return this.#failed();
    this.#username = username;
    this.#password = this.#host.signInAfterConfirm ? password : "";
    this.destination = result.destination;
    this.#host.dispatchEvent(new CognitoSignedUpEvent({ username, userConfirmed: result.userConfirmed, ...(result.destination ? { destination: result.destination } : {}) }));
    if (result.userConfirmed) return this.#confirmed();
    this.#form.reset();
    this.#resendCode.started();
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
    if (this.#host.passwordless) return this.#confirmPasswordless(username, code);
    const ok = await this.#form.run(() => client.confirmSignUp(username, code).then(() => true), this.#fieldFor);
    if (!ok) return this.#failed();
    this.#host.dispatchEvent(new CognitoConfirmedEvent({ username }));
    await this.#confirmed();
  };

  /** ConfirmSignUp's session signs the user in (USER_AUTH): no password, no second code. */
  async #confirmPasswordless(username: string, code: string): Promise<void> {
    const client = this.#auth.client;
    if (!client) return;
    const result = await this.#form.run(() => client.confirmAndSignIn(username, code).then((signedIn) => signedIn ?? false), this.#fieldFor);
    if (result === undefined) return this.#failed();
    this.#host.dispatchEvent(new CognitoConfirmedEvent({ username }));
    clearForms(this.#host);
    this.#form.reset();
    if (result === false || result.kind !== "signed-in") {
      this.step = "done";
      return;
    }
    this.#host.dispatchEvent(new CognitoSignedInEvent(this.#auth.signedIn(username)));
    this.step = this.#host.passkeyPrompt && typeof PublicKeyCredential !== "undefined" ? "passkey" : "done";
  };

  async #confirmed(): Promise<void> {
    const client = this.#auth.client;
    const password = this.#password;
    this.#password = "";
    clearForms(this.#host);
    this.#passwords.clear();
    if (!this.#host.signInAfterConfirm || !client || !password) {
      this.#form.reset();
      this.step = "done";
      return;
    }
    const username = this.#username;
    const result = await this.#form.run(() => client.signIn(username, password));
    this.step = "done";
    if (result?.kind === "signed-in") this.#host.dispatchEvent(new CognitoSignedInEvent(this.#auth.signedIn(username)));
    else if (!result) this.#failed();
  }

  #resend = (): void => {
    const client = this.#auth.client;
    if (!client || this.#form.pending) return;
    const username = this.#username;
    void this.#resendCode.send(async () => {
      const delivery = await this.#form.run(() => client.resendCode(username));
      if (!delivery) this.#failed();
      else if (delivery.destination) this.destination = delivery.destination;
      return delivery;
    });
  };

  /** Back from the code step to the form, the address or username filled in, to fix it. */
  #changeUsername = (): void => {
    this.#password = "";
    this.#passwords.clear();
    this.#form.reset();
    this.step = "form";
  };

  #failed(): void {
    reportError(this.#host, this.#form.problem);
  }

  #restart(): void {
    this.#password = "";
    this.#username = "";
    this.#values = {};
    this.#passwords.clear();
    this.destination = undefined;
    this.#form.reset();
    this.step = "form";
  }
}
