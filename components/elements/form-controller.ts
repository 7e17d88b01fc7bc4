/**
 * One status per form: idle | pending | error | done. `run` refuses to start while pending (a
 * second submit sends nothing), records an AuthError for the live region, and drops results that
 * arrive after the host was disconnected.
 *
 * It also keeps keyboard users in place (WCAG 2.4.3): when a request settles or a step changes
 * while focus was inside the host, focus goes to the field a problem is about, or, if the focused
 * control disappeared or was disabled, to the first control of what is now shown.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { AuthError, toAuthError } from "../auth/errors.ts";
import type { Messages } from "../i18n/messages.ts";

export type FormStatus = "idle" | "pending" | "error" | "done";

/** A failure to show: an error code, or a ready message (client-side validation), tied to a field. */
export interface FormProblem {
  readonly error?: AuthError;
  /** A function is read at render time, so the message follows the element's locale. */
  readonly text?: string | ((text: Messages) => string);
  /** The input (by its name) the problem is about; gets aria-invalid. */
  readonly field?: string;
}

export class FormController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #status: FormStatus = "idle";
  #problem: FormProblem | undefined;
  #abort = new AbortController();
  #focusWithin = false;
  #moved = false;
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
    const field = this.#problem?.field;
    const target = field
      ? host.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`)
      : lost
        ? host.querySelector<HTMLElement>("input:not([hidden],[type=hidden]), button:not(:disabled), a[href]")
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

  /** Shows a problem found before any request (a required field, a password rule). */
  invalid(problem: FormProblem): void {
    this.#set("error", problem);
  }

  /**
   * Runs one request. Returns its result, or undefined when it failed, was refused because
   * another is pending, or finished after disconnect. `fieldOf` ties an error code to an input.
   */
  async run<T>(task: () => Promise<T>, fieldOf: (error: AuthError) => string | undefined = () => undefined): Promise<T | undefined> {
    if (this.#status === "pending") return undefined;
    const signal = this.#abort.signal;
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
    this.#moved = true;
    this.#host.setAttribute(this.#attribute, status);
    this.#host.requestUpdate();
  }
}
