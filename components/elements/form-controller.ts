/**
 * One status per form: idle | pending | error | done. `run` refuses to start while pending (a
 * second submit sends nothing), records an AuthError for the form's alert, and drops results that
 * arrive after the host was disconnected. Problems found before any request are per field
 * (`invalidFields`): each shows under its field until that field changes.
 *
 * It also keeps keyboard users in place (WCAG 2.4.3): when a request settles or a step changes
 * while focus was inside the host, focus goes to the field a problem is about, or, if the focused
 * control disappeared or was disabled, to the first control of what is now shown.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { AuthError, toAuthError } from "../auth/errors.ts";
import type { Messages } from "../i18n/messages.ts";

export type FormStatus = "idle" | "pending" | "error" | "done";

/** A message read at render time, so it follows the element's locale. */
export type MessageOf = (text: Messages) => string;

/** A failure to show in the form's alert: an error code, or a ready message, maybe tied to a field. */
export interface FormProblem {
  readonly error?: AuthError;
  readonly text?: string | MessageOf;
  /** The input (by its name) the problem is about; gets aria-invalid. */
  readonly field?: string;
}

/** A problem with one field, found before any request: shown under that field. */
export interface FieldProblem {
  readonly field: string;
  readonly text: MessageOf;
}

export class FormController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #status: FormStatus = "idle";
  #problem: FormProblem | undefined;
  /** Per-field problems, in the form's order: the first one gets focus. */
  #fieldProblems = new Map<string, MessageOf>();
  #abort = new AbortController();
  #focusWithin = false;
  #moved = false;
  /** The control that started the request (the submit button): focus goes back to it after. */
  #returnTo: HTMLElement | undefined;
  /** The host attribute mirroring the status (`form-state`; another name when a host has several forms). */
  readonly #attribute: string;

  constructor(host: ReactiveControllerHost & HTMLElement, attribute = "form-state") {
    this.#host = host;
    this.#attribute = attribute;
    host.addController(this);
  }

  get status(): FormStatus {
    return this.#status;
  }

  get pending(): boolean {
    return this.#status === "pending";
  }

  get problem(): FormProblem | undefined {
    return this.#problem;
  }

  /** The message under field `name`, if it has one. */
  fieldProblem(name: string): MessageOf | undefined {
    return this.#fieldProblems.get(name);
  }

  /** The user changed field `name`: its message goes (and the form's, once none is left). */
  clearField(name: string): void {
    if (!this.#fieldProblems.delete(name)) return;
    if (this.#fieldProblems.size === 0 && !this.#problem && this.#status === "error") {
      this.#status = "idle";
      this.#host.setAttribute(this.#attribute, "idle");
    }
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#abort = new AbortController();
    this.#host.setAttribute(this.#attribute, this.#status);
    this.#host.addEventListener("focusin", this.#focusIn);
    this.#host.addEventListener("focusout", this.#focusOut);
  }

  hostDisconnected(): void {
    this.#abort.abort();
    this.#host.removeEventListener("focusin", this.#focusIn);
    this.#host.removeEventListener("focusout", this.#focusOut);
  }

  hostUpdated(): void {
    if (!this.#moved || this.pending) return;
    this.#moved = false;
    const host = this.#host;
    const active = document.activeElement;
    // A removed or disabled control drops focus to <body>, with no focusout when removed.
    const lost = !active || active === document.body || !active.isConnected || (active as HTMLButtonElement).disabled;
    if (lost ? !this.#focusWithin : !host.contains(active)) return;
    const field = this.#problem?.field ?? this.#fieldProblems.keys().next().value;
    const back = this.#returnTo?.isConnected && !(this.#returnTo as HTMLButtonElement).disabled ? this.#returnTo : undefined;
    this.#returnTo = undefined;
    const target = field
      ? host.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`)
      : lost
        ? (back ?? host.querySelector<HTMLElement>("input:not([hidden],[type=hidden]), button:not(:disabled), a[href]"))
        : null;
    target?.focus();
  }

  #focusIn = (): void => {
    this.#focusWithin = true;
  };

  #focusOut = (event: FocusEvent): void => {
    const next = event.relatedTarget as Node | null;
    if (next) this.#focusWithin = this.#host.contains(next);
  };

  /** Back to idle (a new step), clearing any problem. */
  reset(): void {
    this.#set("idle", undefined);
  }

  /** Shows problems found before any request (a required field, a format, a password rule), each under its field. */
  invalidFields(problems: readonly FieldProblem[]): void {
    this.#set("error", undefined);
    this.#fieldProblems = new Map(problems.map(({ field, text }) => [field, text]));
  }

  /** Shows one problem found before any request under its field. */
  invalid(problem: FieldProblem): void {
    this.invalidFields([problem]);
  }

  /**
   * Runs one request. Returns its result, or undefined when it failed, was refused because
   * another is pending, or finished after disconnect. `fieldOf` ties an error code to an input.
   */
  async run<T>(task: () => Promise<T>, fieldOf: (error: AuthError) => string | undefined = () => undefined): Promise<T | undefined> {
    if (this.#status === "pending") return undefined;
    const signal = this.#abort.signal;
    const active = document.activeElement;
    this.#returnTo = active instanceof HTMLElement && this.#host.contains(active) ? active : undefined;
    this.#set("pending", undefined);
    try {
      const result = await task();
      if (signal.aborted) return undefined;
      this.#set("done", undefined);
      return result;
    } catch (caught) {
      if (signal.aborted) return undefined;
      const error = toAuthError(caught);
      const field = fieldOf(error);
      this.#set("error", field ? { error, field } : { error });
      return undefined;
    }
  }

  #set(status: FormStatus, problem: FormProblem | undefined): void {
    this.#status = status;
    this.#problem = problem;
    this.#fieldProblems = new Map();
    this.#moved = true;
    this.#host.setAttribute(this.#attribute, status);
    this.#host.requestUpdate();
  }
}
