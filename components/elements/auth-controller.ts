/**
 * The one way an element reaches auth state: subscribes to the page's store while connected,
 * re-renders the host on every change, and mirrors the status in the host's `auth-state`
 * attribute (for CSS and tests).
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { AuthClient } from "../auth/client.ts";
import type { ConfigError } from "../auth/config.ts";
import { authStore, type AuthSnapshot } from "../auth/store.ts";

export class AuthController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  get snapshot(): AuthSnapshot {
    return authStore.snapshot;
  }

  /** The configured client; undefined while unconfigured or misconfigured. */
  get client(): AuthClient | undefined {
    return authStore.client;
  }

  /** The configuration problem to show instead of a form, if any. */
  get configError(): ConfigError | undefined {
    const config = authStore.config;
    return config.state === "error" ? config.error : undefined;
  }

  hostConnected(): void {
    this.#unsubscribe = authStore.subscribe(() => this.#changed());
    this.#changed();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #changed(): void {
    const state = this.configError ? "config-error" : this.snapshot.status;
    this.#host.setAttribute("auth-state", state);
    this.#host.requestUpdate();
  }
}
