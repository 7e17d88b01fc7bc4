/**
 * Small template pieces every form shares: a labelled input, the error live region, the submit
 * button, the config error. Lit templates only: every value is bound as text or a property.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { ConfigError, UsernameAttribute as ConfigUsernameAttribute } from "../auth/config.ts";
import { messages, type Messages } from "../i18n/messages.ts";
import { CognitoErrorEvent, CognitoNavigateEvent, type NavigateTarget } from "./events.ts";
import type { FormController, FormProblem } from "./form-controller.ts";
import { preload } from "./lazy-view.ts";

let counter = 0;

/** A page-unique id prefix: elements live in the light DOM, so ids must not collide. */
export function uniqueId(tag: string): string {
  return `${tag}-${++counter}`;
}

export interface FieldOptions {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly type?: string;
  readonly autocomplete?: string;
  readonly inputmode?: string;
  readonly required?: boolean;
  /** The form's controller: a problem it holds for this field marks it and shows under it. */
  readonly form: FormController;
  /** Id of the form's alert, referenced when a request failed because of this field. */
  readonly errorId: string;
  /** Ids of other descriptions (a hint, the password rules). */
  readonly describedBy?: string;
  /** Initial value, set as a property (never as an attribute). */
  readonly value?: string;
  readonly onInput?: (event: InputEvent) => void;
  readonly labelSuffix?: string;
  /** Something beside the input, inside its box (the show-password button). */
  readonly addon?: TemplateResult;
}

/**
 * A labelled input, its own error under it (`aria-describedby`, `aria-invalid`), cleared as the user
 * edits it. `aria-invalid` is absent, not "false", while the field is fine: stylesheets such as Pico
 * draw "false" as a confirmed-valid field, which an untouched one is not.
 */
export function field(options: FieldOptions): TemplateResult {
  const { form, name } = options;
  const message = form.fieldProblem(name)?.(messages());
  const failed = form.problem?.field === name;
  const messageId = `${options.id}-message`;
  const describedBy = [message ? messageId : "", failed ? options.errorId : "", options.describedBy ?? ""].filter(Boolean).join(" ");
  const onInput = (event: InputEvent) => {
    form.clearField(name);
    options.onInput?.(event);
  };
  const input = html`<input
    id=${options.id}
    name=${name}
    type=${options.type ?? "text"}
    autocomplete=${options.autocomplete ?? nothing}
    inputmode=${options.inputmode ?? nothing}
    ?required=${options.required ?? false}
    aria-invalid=${message || failed ? "true" : nothing}
    aria-describedby=${describedBy || nothing}
    .value=${options.value ?? ""}
    @input=${onInput}
  />`;
  return html`<div class="field">
    <label for=${options.id}>${options.label}${options.labelSuffix ? html` <span class="hint">${options.labelSuffix}</span>` : nothing}</label>
    ${options.addon ? html`<div class="control">${input}${options.addon}</div>` : input}
    ${message ? html`<p id=${messageId} class="field-error">${message}</p>` : nothing}
  </div>`;
}

/** A field for a code Cognito sent (or an authenticator app shows): numeric keypad, `one-time-code` autofill. */
export function codeField(options: Pick<FieldOptions, "id" | "errorId" | "form" | "describedBy"> & { readonly name?: string }): TemplateResult {
  return field({ name: "code", ...options, label: messages().fields.code, autocomplete: "one-time-code", inputmode: "numeric", required: true });
}

/** What a pool signs in with instead of a username (the elements' `username-attribute`). */
export type UsernameAttribute = ConfigUsernameAttribute | undefined;

/** The username field's label (also named in its required message) and input type, in `text`'s language. */
export function usernameField(text: Messages, attribute: UsernameAttribute): { readonly label: string; readonly type: string } {
  if (attribute === "email") return { label: text.fields.email, type: "email" };
  if (attribute === "phone_number") return { label: text.fields.phone, type: "tel" };
  return { label: text.fields.username, type: "text" };
}

export function problemText(problem: FormProblem | undefined): string {
  if (!problem) return "";
  const { text, error } = problem;
  return typeof text === "function" ? text(messages()) : text ?? (error ? messages().errors[error.code] : "");
}

/** The form's alert, for what a request answered. Always rendered, so assistive tech is already watching it. */
export function errorRegion(id: string, problem: FormProblem | undefined): TemplateResult {
  return html`<p id=${id} class="error" role="alert" aria-live="assertive">${problemText(problem)}</p>`;
}

export function submitButton(label: string, pending: boolean): TemplateResult {
  return html`<button type="submit" ?disabled=${pending} aria-busy=${pending ? "true" : "false"}>${pending ? messages().busy : label}</button>`;
}

export function configErrorView(error: ConfigError): TemplateResult {
  return html`<p class="config-error" role="alert">${messages().config(error.setting, error.problem)}</p>`;
}

/** An attribute's label: the standard ones translated, `custom:` ones by their name, spaced. */
export function attributeLabel(text: Messages, name: string): string {
  return text.attributes[name] ?? name.replace(/^custom:/, "").replaceAll("_", " ");
}

/** Reads a text input of a submitted form. */
export function formValue(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === "string" ? value : "";
}

/** Uncontrolled inputs would keep a password in the DOM after success; clear every form. */
export function clearForms(root: HTMLElement): void {
  for (const form of root.querySelectorAll("form")) form.reset();
}

/**
 * `target` resolved against the page, if it is an http(s) URL; anything else (`javascript:`,
 * `data:`) is refused. Lit escapes attribute values but does not check URL schemes.
 */
export function safeUrl(target: string): string | undefined {
  try {
    const url = new URL(target, location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A link out of the element: fires a cancelable `cognito-navigate`, then follows `href` if there is
 * one; with none, and the event not cancelled, `inPlace` shows the form there (view-switch.ts).
 */
export function navigateLink(
  host: HTMLElement,
  to: NavigateTarget,
  label: string,
  href: string | undefined,
  username: () => string,
  inPlace?: (to: NavigateTarget, username: string) => void,
): TemplateResult {
  const safe = href ? safeUrl(href) : undefined;
  const onClick = (event: Event) => {
    const name = username();
    const navigate = new CognitoNavigateEvent(name ? { to, username: name } : { to });
    host.dispatchEvent(navigate);
    if (navigate.defaultPrevented) event.preventDefault();
    else if (!safe) inPlace?.(to, name);
  };
  // An unsafe href falls back to the button: the event still lets the host route.
  if (safe) return html`<a class="link" href=${href} @click=${onClick}>${label}</a>`;
  const ahead = () => preload(to);
  return html`<button type="button" class="link" @pointerenter=${ahead} @focus=${ahead} @click=${onClick}>${label}</button>`;
}

/** Fires `cognito-error` for a failed request. */
export function reportError(host: HTMLElement, problem: FormProblem | undefined): void {
  const code = problem?.error?.code;
  if (code) host.dispatchEvent(new CognitoErrorEvent({ code }));
}
