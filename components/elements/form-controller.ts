/**
 * One status per form: idle | pending | error | done. `run` refuses to start while pending (a
 * second submit sends nothing), records an AuthError for the live region, and drops results that
 * arrive after the host was disconnected.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { AuthError, toAuthError } from "../auth/errors.ts";

export type FormStatus = "idle" | "pending" | "error" | "done";

/** A failure to show: an error code, or a ready message (client-side validation), tied to a field. */
export interface FormProblem {
  readonly error?: AuthError;
  readonly text?: string;
  /** The input (by its name) the problem is about; gets aria-invalid. */
  readonly field?: string;
}

export class FormController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #status: FormStatus = "idle";
  #problem: FormProblem | undefined;
  #abort = new AbortController();
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
  }

  hostDisconnected(): void {
    this.#abort.abort();
  }

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
    this.#host.setAttribute(this.#attribute, status);
    this.#host.requestUpdate();
  }
}
