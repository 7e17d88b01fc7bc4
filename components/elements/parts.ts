/**
 * Small template pieces every form shares: a labelled input, the error live region, the submit
 * button, the config error. Lit templates only: every value is bound as text or a property.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { ConfigError } from "../auth/config.ts";
import { messages, type Messages } from "../i18n/messages.ts";
import { CognitoErrorEvent, CognitoNavigateEvent, type NavigateTarget } from "./events.ts";
import type { FormProblem } from "./form-controller.ts";

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
  /** Id of the form's error region; referenced when the problem is about this field. */
  readonly errorId: string;
  readonly problem: FormProblem | undefined;
  /** Ids of other descriptions (a hint, the password rules). */
  readonly describedBy?: string;
  /** Initial value, set as a property (never as an attribute). */
  readonly value?: string;
  readonly onInput?: (event: InputEvent) => void;
  readonly labelSuffix?: string;
}

export function field(options: FieldOptions): TemplateResult {
  const invalid = options.problem?.field === options.name;
  const describedBy = [invalid ? options.errorId : "", options.describedBy ?? ""].filter(Boolean).join(" ");
  return html`<div class="field"><label for=${options.id}>${options.label}${options.labelSuffix ? html` <span class="hint">${options.labelSuffix}</span>` : nothing}</label><input id=${options.id} name=${options.name} type=${options.type ?? "text"} autocomplete=${options.autocomplete ?? nothing} inputmode=${options.inputmode ?? nothing} ?required=${options.required ?? false} aria-invalid=${invalid ? "true" : "false"} aria-describedby=${describedBy || nothing} .value=${options.value ?? ""} @input=${options.onInput} /></div>`;
}

/** What a pool signs in with instead of a username (the elements' `username-attribute`). */
export type UsernameAttribute = "email" | "phone_number" | undefined;

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

/** Always rendered, so assistive tech is already watching it when a message arrives. */
export function errorRegion(id: string, problem: FormProblem | undefined): TemplateResult {
  return html`<p id=${id} class="error" role="alert" aria-live="assertive">${problemText(problem)}</p>`;
}

export function submitButton(label: string, pending: boolean): TemplateResult {
  return html`<button type="submit" ?disabled=${pending} aria-busy=${pending ? "true" : "false"}>${pending ? messages().busy : label}</button>`;
}

export function configErrorView(error: ConfigError): TemplateResult {
  return html`<p class="config-error" role="alert">${messages().config(error.setting, error.problem)}</p>`;
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

/** A link out of the element: fires a cancelable `cognito-navigate`, and follows `href` if there is one. */
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

export function navigateLink(host: HTMLElement, to: NavigateTarget, label: string, href: string | undefined, username: () => string): TemplateResult {
  const onClick = (event: Event) => {
    const name = username();
    const navigate = new CognitoNavigateEvent(name ? { to, username: name } : { to });
    host.dispatchEvent(navigate);
    if (navigate.defaultPrevented) event.preventDefault();
  };
  // An unsafe href falls back to the button: the event still lets the host route.
  return href && safeUrl(href) ? html`<a class="link" href=${href} @click=${onClick}>${label}</a>` : html`<button type="button" class="link" @click=${onClick}>${label}</button>`;
}

/** Fires `cognito-error` for a failed request. */
export function reportError(host: HTMLElement, problem: FormProblem | undefined): void {
  const code = problem?.error?.code;
  if (code) host.dispatchEvent(new CognitoErrorEvent({ code }));
}
