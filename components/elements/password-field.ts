/**
 * Password inputs with a show/hide button, and the live rule checklist of a new password: one
 * controller per element, instead of a copy in every form. Showing the password replaces a
 * "repeat password" field (the elements ask for a new password once): the user can check what
 * they typed, which catches the typo a second field was there for, without typing it twice.
 *
 * The button keeps focus and caret in the input (a click does not take focus; the selection is
 * put back after the type changes), and never touches `autocomplete`, so password managers keep
 * treating the field as a password.
 */
import { html, nothing, svg, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import { messages } from "../i18n/messages.ts";
import { field, type FieldOptions } from "./parts.ts";
import { passwordRules, type PasswordPolicy } from "./password-rules.ts";

export interface PasswordFieldOptions extends Omit<FieldOptions, "type" | "addon" | "onInput" | "value"> {
  /** For a new password: the policy whose rules are listed, and ticked as the user types. */
  readonly policy?: PasswordPolicy;
}

// An eye, and the same eye struck through: drawn inline (nothing fetched), coloured by currentColor.
const EYE = svg`<path d="M1.5 10S5 3.5 10 3.5 18.5 10 18.5 10 15 16.5 10 16.5 1.5 10 1.5 10Z" /><circle cx="10" cy="10" r="2.75" />`;
const STRUCK = svg`${EYE}<path d="M3 17 17 3" />`;

export class PasswordFields implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  /** Names of the fields shown as text. */
  readonly #shown = new Set<string>();
  /** What is typed in new-password fields, for the checklist only (never rendered). */
  readonly #typed = new Map<string, string>();

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.clear();
  }

  /** Forgets what was typed and hides every password again (after success, on a new step). */
  clear(): void {
    this.#shown.clear();
    this.#typed.clear();
  }

  /** What the user typed in `name` (a new-password field), for the policy check on submit. */
  typed(name: string): string {
    return this.#typed.get(name) ?? "";
  }

  /** The "New password" field (`new-password`, required) of every form that sets a password. */
  newPassword(options: Omit<PasswordFieldOptions, "name" | "label" | "autocomplete" | "required">): TemplateResult {
    return this.render({ ...options, name: "new-password", label: messages().fields.newPassword, autocomplete: "new-password", required: true });
  }

  render(options: PasswordFieldOptions): TemplateResult {
    const { name, policy } = options;
    const shown = this.#shown.has(name);
    const rulesId = `${options.id}-rules`;
    const text = messages().password;
    const toggle = html`<button
      type="button"
      class="reveal"
      aria-label=${shown ? text.hide : text.show}
      aria-pressed=${shown ? "true" : "false"}
      aria-controls=${options.id}
      @mousedown=${(event: MouseEvent) => event.preventDefault()}
      @click=${() => this.#toggle(name, options.id)}
    ><svg viewBox="0 0 20 20" aria-hidden="true" focusable="false">${shown ? STRUCK : EYE}</svg></button>`;
    const input = field({
      ...options,
      type: shown ? "text" : "password",
      addon: toggle,
      describedBy: [policy ? rulesId : "", options.describedBy ?? ""].filter(Boolean).join(" ") || undefined,
      ...(policy ? { onInput: (event: InputEvent) => this.#type(name, (event.target as HTMLInputElement).value) } : {}),
    } as FieldOptions);
    return html`${input}${policy ? passwordRules(rulesId, policy, this.typed(name)) : nothing}`;
  }

  #type(name: string, value: string): void {
    this.#typed.set(name, value);
    this.#host.requestUpdate();
  }

  async #toggle(name: string, id: string): Promise<void> {
    const input = this.#host.querySelector<HTMLInputElement>(`#${CSS.escape(id)}`);
    const focused = input !== null && document.activeElement === input;
    const [start, end] = [input?.selectionStart ?? null, input?.selectionEnd ?? null];
    if (this.#shown.has(name)) this.#shown.delete(name);
    else this.#shown.add(name);
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    if (!input || !focused) return;
    input.focus();
    if (start !== null && end !== null) input.setSelectionRange(start, end);
  }
}
